// Browser test of 双随机抽查: the department clerk of 慈溪市市场监督管理局
// creates a draw of three enterprises with the body's 行政检查 matter and a
// window, sees the seed's SM3 hash at once, runs it, sees the revealed
// seed (its SM3 is the hash shown before), the picks with two officers
// each and a plan per pick, verifies the draw and opens a plan in the
// 涉企行政检查 list (state 计划). Without signing in, the login page links
// the public page, which shows the draw with its seed and its result.
//
// Environment: FAZHI_URL, FAZHI_DEPT_USER, FAZHI_PASSWORD, as run.sh sets.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TIMEOUT = 20000
const BODY = '慈溪市市场监督管理局'
const TITLE = `端到端双随机抽查${Date.now()}`
const t = (id) => `[data-test="${id}"]`
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10)

describe('双随机抽查', { timeout: 180000 }, () => {
  let dept, anon
  const problems = []
  let hash = ''

  before(async () => {
    dept = await openPage(problems, TIMEOUT)
    await signIn(dept.page, BASE, env('FAZHI_DEPT_USER'), env('FAZHI_PASSWORD'))
    anon = await openPage(problems, TIMEOUT)
  })

  after(async () => {
    await dept?.browser?.close()
    await anon?.browser?.close()
    assert.deepEqual(problems, [])
  })

  it('creates a draw and shows the seed\'s SM3 hash at once, the seed hidden', async () => {
    const page = dept.page
    await page.locator(t('menu-draws')).click()
    await page.locator(t('draws-page')).waitFor()
    await page.locator(t('draws-new')).click()
    await page.locator(t('draw-create')).waitFor()
    await page.locator(t('draw-title')).fill(TITLE)
    await page.locator(`${t('draw-body')} input`).fill(BODY)
    await page.locator('.el-select-dropdown__item:visible', { hasText: BODY }).first().click()
    await page.locator(`${t('draw-size')} input`).fill('3')
    await page.locator(t('draw-matter')).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '监督检查' }).first().click()
    await page.locator(`${t('draw-window-from')} input`).fill(day(7))
    await page.locator(`${t('draw-window-from')} input`).press('Tab')
    await page.locator(`${t('draw-window-to')} input`).fill(day(30))
    await page.locator(`${t('draw-window-to')} input`).press('Tab')
    await page.locator(t('draw-create-submit')).click()
    await page.locator(t('draw-detail')).filter({ hasText: TITLE }).waitFor()
    hash = (await page.locator(t('draw-hash')).innerText()).trim()
    assert.match(hash, /^[0-9a-f]{64}$/)
    assert.equal(await page.locator(t('draw-seed')).count(), 0)
    await page.locator(`${t('draws-table')} tbody tr`, { hasText: TITLE }).filter({ hasText: '待抽取' }).waitFor()
  })

  it('runs it: the seed revealed (its SM3 is the hash), three enterprises with two officers and a plan each', async () => {
    const page = dept.page
    await page.locator(t('draw-run')).click()
    await page.locator(t('draw-seed')).waitFor()
    const seed = (await page.locator(t('draw-seed')).innerText()).trim()
    assert.equal(createHash('sm3').update(seed).digest('hex'), hash)
    const rows = page.locator(`${t('draw-picks')} tbody tr`)
    await rows.nth(2).waitFor()
    assert.equal(await rows.count(), 3)
    for (let i = 0; i < 3; i++) {
      const text = await rows.nth(i).innerText()
      assert.match(text, /（\S+）、\S+（\S+）/, text) // two officers with their certificate numbers
      assert.match(text, /计划 \d+/, text)
    }
    await page.locator(`${t('draws-table')} tbody tr`, { hasText: TITLE }).filter({ hasText: '已抽取' }).waitFor()
  })

  it('verifies the draw from its seed', async () => {
    const page = dept.page
    await page.locator(t('draw-verify')).click()
    await page.locator(t('draw-verified')).filter({ hasText: '与记录一致' }).waitFor()
  })

  it('opens a drawn plan in the 涉企行政检查 list: state 计划, 随机抽查', async () => {
    const page = dept.page
    await page.locator(`${t('draw-picks')} a`, { hasText: /计划 \d+/ }).first().click()
    await page.locator(t('record-drawer')).waitFor()
    await page.locator(t('record-state')).filter({ hasText: '计划' }).waitFor()
    await page.locator(t('record-drawer')).filter({ hasText: '随机抽查' }).waitFor()
  })

  it('without signing in: the login page links the public page, which shows the draw and its result', async () => {
    const page = anon.page
    await page.goto(`${BASE}/#/login`)
    await page.locator(t('login-public-draws')).click()
    await page.locator(t('public-draws')).waitFor()
    assert.match(page.url(), /#\/public\/draws$/)
    const card = page.locator(t('public-draw')).filter({ hasText: TITLE })
    await card.waitFor()
    assert.ok((await card.innerText()).includes(hash))
    await card.click()
    const rows = page.locator(`${t('public-draw-picks')} tbody tr`)
    await rows.nth(2).waitFor()
    assert.equal(await rows.count(), 3)
    assert.equal(await page.locator(t('login-username')).count(), 0)
  })
})
