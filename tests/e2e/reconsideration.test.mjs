// Browser test of a 行政复议 case from application to decision with a
// suspension: the office (the coordinator as 行政复议机构) registers an
// application received weeks ago against the department's body, accepts
// it (accepted from the end of the five working days, 第三十条), records
// the copy sent and the respondent's answer, suspends the case; a decision
// is refused while suspended (第三十九条); it resumes, and the 期限说明 of
// the decision date shows the suspension not counted; then the decision.
//
// Environment: FAZHI_URL, FAZHI_USER, FAZHI_DEPT_USER, FAZHI_PASSWORD, as run.sh sets.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TIMEOUT = 20000
const t = (id) => `[data-test="${id}"]`
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10)
const CASE = `浏览器复〔${Date.now()}〕1号`
const REASON = '案件涉及法律适用问题，需要有权机关作出解释'

describe('行政复议案件', { timeout: 240000 }, () => {
  let page, browser, api
  const problems = []

  before(async () => {
    ;({ browser, page } = await openPage(problems, TIMEOUT))
    await signIn(page, BASE, env('FAZHI_USER'), env('FAZHI_PASSWORD'))
    api = await apiSession(BASE, env('FAZHI_USER'), env('FAZHI_PASSWORD'))
  })

  after(async () => {
    await browser?.close()
    assert.deepEqual(problems, [])
  })

  // Fills the record's 修改 dialog with {field: date | text} and saves.
  async function edit(values) {
    await page.locator(t('record-edit')).click()
    const dialog = page.locator(t('record-edit-dialog'))
    await dialog.waitFor()
    for (const [f, v] of Object.entries(values)) {
      const box = page.locator(t(`record-edit-field-${f}`))
      const input = box.locator('textarea, input').first()
      await input.fill(v)
      if (/^\d{4}-\d{2}-\d{2}$/.test(v)) await input.press('Tab')
    }
    await page.locator(t('record-edit-submit')).click()
    await dialog.waitFor({ state: 'hidden' })
  }

  it('registers the application against the department and accepts it', async () => {
    const dept = await apiSession(BASE, env('FAZHI_DEPT_USER'), env('FAZHI_PASSWORD'))
    const me = await dept.get('/me')
    const bodyName = (await dept.get(`/bodies/${(me.user || me).bodies[0]}`)).name
    await page.locator(t('menu-reconsideration')).click()
    await page.locator(t('register-title')).filter({ hasText: '行政复议案件' }).waitFor()
    await page.locator(t('register-create')).click()
    await page.locator(t('record-create-dialog')).waitFor()
    await page.locator(t('record-body')).click()
    await page.locator(`${t('record-body')} input`).fill(bodyName)
    await page.locator('.el-select-dropdown__item:visible', { hasText: bodyName }).first().click()
    await page.locator(`${t('record-start')} input`).fill(day(-40))
    await page.locator(`${t('record-start')} input`).press('Tab')
    await page.locator(`${t('record-field-case_number')} input`).fill(CASE)
    await page.locator(`${t('record-field-applicant')} input`).fill('张某')
    await page.locator(`${t('record-field-act')} textarea`).fill('罚款 5000 元的行政处罚决定')
    await page.locator(t('record-create-submit')).click()
    await page.locator(t('record-title')).filter({ hasText: CASE }).waitFor()
    await page.locator(t('transition-accept')).click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator(t('record-state')).filter({ hasText: '已受理' }).waitFor()
  })

  it('records the copy, the answer and a suspension; no decision while suspended', async () => {
    await edit({ copy_sent_on: day(-20) })
    await edit({ answered_on: day(-15), answer: '事实清楚，证据确凿' })
    await edit({ suspend_from: day(-12), suspend_reason: REASON })
    await page.locator(t('transition-decide')).click()
    const dialog = page.locator(t('transition-dialog'))
    await dialog.waitFor()
    await page.locator(`${t('transition-field-decision')} .el-select`).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '维持' }).first().click()
    await page.locator(t('transition-submit')).click()
    await page.getByText(/中止审理中/).first().waitFor()
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
  })

  it('resumes; the decision date\'s 期限说明 shows the suspension not counted; decides', async () => {
    await edit({ suspend_to: day(-3) })
    const rec = (await api.get(`/registers/reconsideration/records?q=${encodeURIComponent(CASE)}`)).items[0]
    const one = await api.get(`/registers/reconsideration/records/${rec.id}`)
    const due = one.data.decision_due
    const line = page.locator(t('record-deadline-decision_due'))
    await line.filter({ hasText: due }).waitFor()
    await line.locator('.el-collapse-item__header').click()
    await line.locator('.dl-explain').filter({ hasText: REASON }).waitFor()
    await page.locator(t('transition-decide')).click()
    await page.locator(t('transition-dialog')).waitFor()
    await page.locator(`${t('transition-field-decision')} .el-select`).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '撤销' }).first().click()
    await page.locator(t('transition-submit')).click()
    await page.locator(t('record-state')).filter({ hasText: '已作出决定' }).waitFor()
    const done = await api.get(`/registers/reconsideration/records/${rec.id}`)
    assert.equal(done.data.corrected, '是')
    assert.ok(done.data.decided_on <= done.data.decision_due, 'decided within the period')
  })
})
