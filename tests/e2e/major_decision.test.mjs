// Browser test of 重大行政决策: the coordinator opens last year's 决策事项目录
// tab, finds the catalogued decision whose 风险评估 applies but was never
// recorded (the demo's fourth decision of each year, by its ordinal, not by
// chance) shown red, tries to adopt it, sees the refusal naming 风险评估 and
// its article (重大行政决策程序暂行条例第二十二条), records the assessment and
// the executive meeting, adopts it, and sees the checklist turn complete.
//
// Environment: FAZHI_URL, FAZHI_USER, FAZHI_PASSWORD, as run.sh sets.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TIMEOUT = 20000
const t = (id) => `[data-test="${id}"]`
const TITLE = '老旧小区加装电梯补助办法'
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)

describe('重大行政决策', { timeout: 120000 }, () => {
  let page, browser
  const problems = []

  before(async () => {
    ;({ page, browser } = await openPage(problems, TIMEOUT))
    await signIn(page, BASE)
  })

  after(async () => {
    await browser?.close()
    assert.deepEqual(problems, [])
  })

  const pick = async (field, option) => {
    await page.locator(`${t(`record-edit-field-${field}`)} .el-select`).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: option }).first().click()
  }
  const date = async (field, day) => {
    await page.locator(`${t(`record-edit-field-${field}`)} input`).fill(day)
    await page.keyboard.press('Enter')
  }
  const adopt = async () => {
    await page.locator(`${t('record-drawer')} ${t('transition-adopt')}`).click()
    await page.locator('.el-message-box .el-message-box__btns .el-button--primary').click()
  }

  it('refuses to adopt a catalogued decision missing its risk assessment, then adopts it once recorded', async () => {
    await page.goto(`${BASE}/#/registers/major_decision?tab=catalog`)
    await page.locator(t('md-catalog')).waitFor()
    const last = Number(today().slice(0, 4)) - 1
    await page.locator(`${t('md-catalog-year')}`).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: `${last} 年` }).click()
    const row = page.locator(`${t('md-catalog-decisions')} tr`, { hasText: TITLE })
    await row.locator('[data-test$="-risk_assessment_status"]').filter({ hasText: '未履行' }).waitFor()
    assert.equal(await row.locator('.missing').filter({ hasText: '未履行' }).count() >= 1, true, 'red where required and missing')
    await row.locator('td').nth(1).click()
    await page.locator(t('record-title')).filter({ hasText: TITLE }).waitFor()

    await adopt()
    const refusal = page.locator(t('record-error')).filter({ hasText: '风险评估' })
    await refusal.waitFor()
    assert.match(await refusal.innerText(), /第二十二条/)
    await page.locator(t('record-state')).filter({ hasText: '履行程序中' }).waitFor()

    await page.locator(t('record-edit')).click()
    await page.locator(t('record-edit-dialog')).waitFor()
    await pick('risk_conclusion', '风险可控')
    await page.locator(`${t('record-edit-field-risk_report')} textarea`).fill('经重点走访和舆情跟踪，风险等级低')
    await date('risk_on', today())
    await date('meeting_on', today())
    await pick('meeting_kind', '常务会议')
    await pick('meeting_outcome', '通过')
    await page.locator(t('record-edit-submit')).click()
    await page.locator(t('record-edit-dialog')).waitFor({ state: 'hidden' })

    await adopt()
    await page.locator(t('record-state')).filter({ hasText: '已作出决定' }).waitFor()
    await row.locator('[data-test$="-risk_assessment_status"]').filter({ hasText: '已履行' }).waitFor()
  })
})
