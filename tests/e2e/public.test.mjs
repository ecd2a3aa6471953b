// Browser test of the public disclosure page (行政处罚决定公示, no login): a
// fresh demo publishes its decisions; the page lists them 20 a page, goes
// to page 2, opens one in a dialog and shows the withdrawn ones with why —
// on a desktop and on a phone (390×844) without sideways scrolling. No
// raw ID number reaches the page.
//
// Environment: FAZHI_URL.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const t = (id) => `[data-test="${id}"]`
// an ID number (GB 11643: region, birth date, sequence), not a 统一社会信用代码
const ID_NUMBER = /\b\d{6}(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx]\b/

for (const [name, viewport] of [['a desktop', { width: 1440, height: 900 }], ['a phone (390×844)', { width: 390, height: 844 }]]) {
  describe(`the public disclosure page on ${name}, without signing in`, { timeout: 120000 }, () => {
    let browser
    let page
    const problems = []

    before(async () => {
      ;({ browser, page } = await openPage(problems, 20000, viewport))
      await page.goto(`${BASE}/#/public/penalties`)
    })
    after(async () => {
      await browser?.close()
    })

    it('lists 20 published decisions, newest first, and no login form', async () => {
      await page.locator(t('public-item')).first().waitFor()
      assert.equal(await page.locator(t('public-item')).count(), 20)
      assert.equal(await page.locator(t('login-username')).count(), 0)
      assert.match(page.url(), /#\/public\/penalties$/)
      const text = await page.locator(t('public-penalties')).innerText()
      assert.match(text, /行政处罚决定公示/)
      assert.doesNotMatch(text, ID_NUMBER)
      const w = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(w <= viewport.width + 1, `page ${w}px wide on a ${viewport.width}px screen`)
    })

    it('goes to page 2', async () => {
      const first = await page.locator(t('public-item')).first().innerText()
      await page.locator(`${t('public-pager')} .el-pager li`, { hasText: /^2$/ }).click()
      await page.waitForFunction(
        ([sel, was]) => document.querySelector(sel)?.innerText !== was,
        [t('public-item'), first],
      )
      assert.ok((await page.locator(t('public-item')).count()) >= 1)
      assert.equal(await page.locator(`${t('public-pager')} .el-pager li.is-active`).innerText(), '2')
    })

    it('opens a decision in a dialog: party, facts, basis, penalty, body and dates', async () => {
      await page.locator(t('public-item')).first().click()
      const dialog = page.locator(t('public-detail'))
      await dialog.locator('.el-descriptions').waitFor()
      const text = await dialog.innerText()
      for (const label of ['当事人', '违法事实', '处罚依据', '处罚种类', '作出决定的机关', '决定日期'])
        assert.ok(text.includes(label), label)
      assert.doesNotMatch(text, ID_NUMBER)
      if (viewport.width < 768) {
        const box = await page.locator('.el-dialog.is-fullscreen').boundingBox()
        assert.ok(box && box.width <= viewport.width + 1, `full-screen dialog: ${JSON.stringify(box)}`)
      }
      await page.locator('.el-dialog__headerbtn').click()
      await page.locator('.el-overlay.el-modal-dialog').waitFor({ state: 'hidden' })
    })

    it('shows the withdrawn decisions with kind, date and reason', async () => {
      await page.locator('.el-tabs__item', { hasText: '已撤回' }).click()
      const item = page.locator(t('withdrawn-item')).first()
      await item.waitFor()
      assert.match(await item.innerText(), /撤回公示（变更）[\s\S]*撤回理由[\s\S]*行政复议/)
      assert.deepEqual(problems, [])
    })
  })
}

// The case drawer: a decision that must be published and is not yet shows
// 公示 to an officer of the deciding body; its preview is what the public
// page then shows; 撤回公示 follows.
describe('publishing from the case drawer', { timeout: 120000 }, () => {
  let browser
  let page
  let id
  const problems = []

  before(async () => {
    const api = await apiSession(BASE, env('FAZHI_OFFICER_USER'), env('FAZHI_PASSWORD'))
    for (let p = 1; !id && p <= 30; p++) {
      const r = await api.get(`/registers/enforcement_case/records?limit=200&page=${p}`)
      id = r.items.find((x) => x.data?.disclose_required === '是' && !x.data?.published_on)?.id
      if (r.items.length < 200) break
    }
    assert.ok(id, 'the demo has a decision still to be published')
    ;({ browser, page } = await openPage(problems, 20000))
    await signIn(page, BASE, env('FAZHI_OFFICER_USER'))
  })
  after(async () => {
    await browser?.close()
  })

  it('previews, publishes and withdraws; the public list follows', async () => {
    await page.goto(`${BASE}/#/registers/enforcement_case?open=${id}`)
    await page.locator(t('disclosure-publish')).click()
    const preview = page.locator(t('disclosure-preview'))
    await preview.locator(t('penalty-decision')).waitFor()
    const shown = await preview.locator(t('penalty-decision')).innerText()
    assert.doesNotMatch(shown, ID_NUMBER)
    await page.locator(t('disclosure-confirm')).click()
    await page.locator(t('disclosure-withdraw')).waitFor()
    assert.equal(await page.locator(t('disclosure-publish')).count(), 0)
    const list = await (await fetch(`${BASE}/api/v1/public/penalties`)).json()
    const top = list.items[0]
    assert.ok(shown.includes(top.content.decision_no), `${top.content.decision_no} published`)
    await page.locator(t('disclosure-withdraw')).click()
    await page.locator(t('withdraw-kind')).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^撤销$/ }).click()
    const date = page.locator(`${t('withdraw-date')} input`)
    await date.fill(top.content.decided_on)
    await date.press('Enter')
    await page.locator(`textarea${t('withdraw-reason')}, ${t('withdraw-reason')} textarea`).fill('经行政复议，原行政处罚决定被撤销')
    await page.locator(t('withdraw-confirm')).click()
    await page.locator(t('disclosure-withdraw')).waitFor({ state: 'detached' })
    const gone = await (await fetch(`${BASE}/api/v1/public/penalties/withdrawn`)).json()
    assert.ok(gone.items.some((x) => x.id === top.id && x.withdraw_kind === '撤销'))
    assert.deepEqual(problems, [])
  })
})
