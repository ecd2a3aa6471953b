// Browser test of the 裁量基准 viewer: the department clerk (a role that
// reads records) finds it in the menu, sees the shipped example, searches
// a violation, opens it — legal bases, circumstances with category and
// ranges in 元, the lenient list — and filters by sector.
//
// Environment: FAZHI_URL, FAZHI_DEPT_USER, FAZHI_PASSWORD, as run.sh sets.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TIMEOUT = 20000
const t = (id) => `[data-test="${id}"]`

describe('the 裁量基准 viewer', { timeout: 120000 }, () => {
  let browser
  let page
  const problems = []

  before(async () => {
    ;({ browser, page } = await openPage(problems, TIMEOUT))
    await signIn(page, BASE, env('FAZHI_DEPT_USER'), env('FAZHI_PASSWORD'))
  })

  after(async () => {
    await browser?.close()
    assert.deepEqual(problems, [])
  })

  it('is in the menu of a role that reads records and shows the shipped example', async () => {
    await page.locator(t('menu-benchmarks')).click()
    await page.locator(t('benchmarks-page')).waitFor()
    await page.locator(`${t('benchmarks-table')} tbody tr`).first().waitFor()
    assert.match(await page.locator(t('benchmarks-version')).innerText(), /市场监管与城市管理行政处罚裁量基准（示例）/)
    assert.match(await page.locator(t('benchmarks-count')).innerText(), /共 1\d 项违法行为/)
    assert.equal(await page.title(), '裁量基准 - 法治政府建设管理平台')
  })

  it('finds a violation by words of its name and shows its circumstances, ranges in 元 and lenient list', async () => {
    await page.locator(t('benchmarks-q')).fill('保质期')
    await page.locator(t('benchmarks-count')).filter({ hasText: '共 1 项违法行为' }).waitFor()
    const row = page.locator(`${t('benchmarks-table')} > .el-table__inner-wrapper > .el-table__body-wrapper tbody tr`).first()
    assert.match(await row.innerText(), /SP-124-05/)
    await row.locator('.el-table__expand-icon').click()
    const detail = page.locator(t('benchmark-SP-124-05'))
    await detail.waitFor()
    const text = await detail.innerText()
    assert.match(text, /违法依据：食品安全法 第三十四条/)
    assert.match(text, /处罚依据：食品安全法 第一百二十四条/)
    const ranges = await detail.locator(t('benchmark-range')).allInnerTexts()
    assert.ok(ranges.includes('罚款 5 万元至 6.5 万元'), ranges.join(' / '))
    assert.ok(ranges.includes('货值金额 13 倍至 17 倍'), ranges.join(' / '))
    assert.match(await detail.locator(t('benchmark-lenient')).innerText(), /减轻处罚[^]*第三十二条/)
  })

  it('filters by sector', async () => {
    await page.locator(t('benchmarks-q')).fill('')
    await page.locator(t('benchmarks-sector')).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '城市管理' }).click()
    await page.locator(t('benchmarks-count')).filter({ hasText: '共 4 项违法行为' }).waitFor()
    const codes = await page.locator(`${t('benchmarks-table')} tbody tr td:nth-child(2)`).allInnerTexts()
    assert.ok(codes.includes('GH-64') && !codes.includes('SP-124-05'), codes.join(','))
  })
})
