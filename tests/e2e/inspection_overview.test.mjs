// Browser test of the coordinator's figures of 涉企行政检查 on a fresh demo:
// the register's 统计分析 tab shows the year's total, the 双随机 and joint
// shares and every enterprise over its yearly cap exactly as the overview
// API counts them, with the charts drawn; the 工作台's warning about
// over-cap enterprises (when there are any) opens that tab; the office
// adds a 检查频次规则 and withdraws it.
//
// Environment: FAZHI_URL, FAZHI_USER, FAZHI_PASSWORD (a coordinator).
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const t = (id) => `[data-test="${id}"]`

describe("the coordinator's figures of 涉企行政检查", { timeout: 120000 }, () => {
  let browser
  let page
  const problems = []

  before(async () => {
    ;({ browser, page } = await openPage(problems, 20000))
    await signIn(page, BASE)
  })
  after(async () => {
    await browser?.close()
  })

  it('shows the year as the overview API counts it, with its charts', async () => {
    const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear()
    const ov = await page.evaluate(async (y) => (await fetch(`/api/v1/registers/inspection/overview?year=${y}`)).json(), year)
    assert.ok(ov.totals.total > 0, 'the demo inspects this year')
    await page.goto(`${BASE}/#/registers/inspection?tab=overview`)
    await page.locator(t('overview-total')).filter({ hasText: String(ov.totals.total) }).waitFor()
    await page.locator(t('overview-random')).filter({ hasText: (ov.totals.random_share * 100).toFixed(1) }).waitFor()
    await page.locator(`${t('overview-bodies-chart')} canvas`).first().waitFor()
    await page.locator(`${t('overview-ratings-chart')} canvas`).first().waitFor()
    const rows = page.locator(`${t('overview-over-cap')} .el-table__body tr`)
    if (ov.over_cap.length) {
      await rows.filter({ hasText: ov.over_cap[0].enterprise.name }).first().waitFor()
      assert.equal(await rows.count(), ov.over_cap.length)
    }
    await page.locator(`${t('overview-enterprises')} .el-table__body tr`).filter({ hasText: ov.enterprises[0].enterprise.name }).first().waitFor()
    // The list is one click away and keeps the tab in the address.
    await page.locator(`${t('inspection-tabs')} .el-tabs__item`, { hasText: '检查台账' }).click()
    await page.locator(t('register-inspection')).waitFor()
    assert.doesNotMatch(page.url(), /tab=overview/)
  })

  it("the 工作台 warns of enterprises over their cap and opens the figures", async () => {
    const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear()
    const ov = await page.evaluate(async (y) => (await fetch(`/api/v1/registers/inspection/overview?year=${y}`)).json(), year)
    await page.goto(`${BASE}/#/home`)
    await page.locator(t('office-board')).waitFor()
    if (!ov.over_cap.length) {
      await page.waitForTimeout(800)
      assert.equal(await page.locator(t('office-over-cap')).count(), 0)
      return
    }
    await page.locator(t('office-over-cap')).filter({ hasText: `${ov.over_cap.length} 家次` }).click()
    await page.locator(t('inspection-overview')).waitFor()
    assert.match(page.url(), /tab=overview/)
  })

  it('the office adds a rule of the locality and withdraws it', async () => {
    await page.goto(`${BASE}/#/registers/inspection?tab=rules`)
    await page.locator(t('rules-table')).waitFor()
    await page.locator(t('rule-create')).click()
    await page.locator(t('rule-dialog')).waitFor()
    await page.locator(t('rule-industry')).fill('住宿和餐饮业')
    await page.locator(`${t('rule-cap')} input`).fill('1')
    await page.locator(t('rule-basis')).fill('示例市涉企检查频次规定（试行）第六条')
    await page.locator(t('rule-submit')).click()
    const row = page.locator(`${t('rules-table')} .el-table__body tr`).filter({ hasText: '示例市涉企检查频次规定（试行）第六条' })
    await row.waitFor()
    assert.match(await row.innerText(), /住宿和餐饮业/)
    await row.locator('[data-test^="rule-withdraw-"]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await row.waitFor({ state: 'detached' })
    assert.deepEqual(problems, [])
  })
})
