// Browser test of an officer's path through a 行政处罚案件 on the generic
// register page: the case list narrowed by 程序类型 (a filter the
// definition declares), a new case whose 当事人 is picked by name (shown
// by name, not id), 立案 and 调查取证 each with its proof uploaded, and the
// drawer's proofs grouped by the step they were added in, each with its
// SM3 digest checked.
//
// Environment: FAZHI_URL, FAZHI_OFFICER_USER, FAZHI_PASSWORD,
// FAZHI_SUBJECT_QUERY, as run.sh sets.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const USER = env('FAZHI_OFFICER_USER')
const PASSWORD = env('FAZHI_PASSWORD')
const SUBJECT_QUERY = env('FAZHI_SUBJECT_QUERY')
const TIMEOUT = 20000
const t = (id) => `[data-test="${id}"]`
const CASES = '/registers/enforcement_case/records'

describe('an officer\'s path through a penalty case', { timeout: 180000 }, () => {
  let browser
  let page
  let api
  let matter
  let officers
  let bodyName
  const problems = []
  const violation = `销售超过保质期的预包装食品（浏览器测试 ${Date.now()}）`

  before(async () => {
    // what the officer's body lists and who holds valid certificates in it
    api = await apiSession(BASE, USER, PASSWORD)
    const me = (await api.get('/me')).user
    const people = (await api.get(`/people?officer=1&body=${me.bodies[0]}&limit=200`)).items.filter((p) => p.cert_valid)
    assert.ok(people.length >= 2, 'two certified officers in the body')
    officers = `${people[0].cert_no}、${people[1].cert_no}`
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
    const bodies = (await api.get('/bodies?limit=200')).items
    const body = bodies.find((b) => b.id === me.bodies[0])
    bodyName = body.name
    matter = (await api.post('/registers/enforcement_matter/records', { body: body.code, start_date: today, data: {
      code: `E2E-${Date.now()}`, name: '对经营超过保质期的食品的行政处罚', kind: '行政处罚', sector: '市场监管',
      basis: '《中华人民共和国食品安全法》第一百二十四条第一款第（五）项' } })).id
    ;({ browser, page } = await openPage(problems, TIMEOUT))
    await signIn(page, BASE, USER, PASSWORD)
  })

  after(async () => {
    await browser?.close()
  })

  it('opens the case list and narrows it by 程序类型', async () => {
    await page.locator(t('menu-enforcement_case')).click()
    await page.locator(t('register-enforcement_case')).waitFor()
    await page.locator(t('register-title')).filter({ hasText: '行政处罚案件' }).waitFor()
    // the 当事人 column by name, as the API labels it
    const first = (await api.get(`${CASES}?limit=1`)).items[0]
    assert.ok(first?.labels?.party, 'the officer\'s body has cases with a labelled party')
    await page.locator(`${t('register-table')} .el-table__body tr`).first().filter({ hasText: first.labels.party }).waitFor()
    const all = (await api.get(`${CASES}?limit=1`)).total
    const want = (await api.get(`${CASES}?f.procedure=${encodeURIComponent('普通程序')}&limit=1`)).total
    assert.ok(want > 0 && want < all, `普通程序 ${want} of ${all}`)
    await page.locator(`${t('register-filter-procedure')}`).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '普通程序' }).click()
    await page.locator(`${t('pager')} .el-pagination__total`).filter({ hasText: `共 ${want} 条` }).waitFor()
    // the overdue ones, by the generic 期限 filter, marked in the list
    await page.locator(t('register-status')).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '已逾期未办结' }).click()
    const overdue = (await api.get(`${CASES}?f.procedure=${encodeURIComponent('普通程序')}&status=overdue&limit=1`)).total
    await page.locator(`${t('pager')} .el-pagination__total`).filter({ hasText: `共 ${overdue} 条` }).waitFor()
    if (overdue > 0) await page.locator(`${t('register-table')} .row-overdue`).first().waitFor()
    await page.locator('.el-button', { hasText: '重置' }).click()
  })

  it('creates a case, the 当事人 picked by name and shown by name', async () => {
    await page.locator(t('register-create')).click()
    const dialog = page.locator(t('record-create-dialog'))
    await dialog.waitFor()
    await page.locator(`${t('record-body')} input`).fill(bodyName)
    await page.locator('.el-select-dropdown__item:visible', { hasText: bodyName }).first().click()
    await page.locator(`${t('record-field-party')} input`).fill(SUBJECT_QUERY)
    const option = page.locator('.el-select-dropdown__item:visible', { hasText: SUBJECT_QUERY }).first()
    await option.waitFor()
    const partyName = (await option.locator('span').first().innerText()).trim()
    await option.click()
    await page.locator(`${t('record-field-matter')} input`).fill(String(matter))
    await page.locator(`${t('record-field-procedure')} .el-select`).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '普通程序' }).click()
    await page.locator(`${t('record-field-violation')} textarea`).fill(violation)
    await page.locator(`${t('record-field-violation_date')} input`).fill(new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10))
    await page.locator(`${t('record-field-violation_date')} input`).press('Tab')
    await page.locator(`${t('record-field-officers')} input`).fill(officers)
    await page.locator(t('record-create-submit')).click()
    await page.locator(t('record-drawer')).waitFor()
    await page.locator(t('record-title')).filter({ hasText: violation }).waitFor()
    const drawer = await page.locator(t('record-drawer')).innerText()
    assert.ok(drawer.includes(partyName), `the party by name: ${partyName}`)
    assert.equal((await page.locator(t('record-state')).innerText()).trim(), '待立案')
  })

  async function prove(name) {
    const drop = page.locator(`${t('record-drawer')} ${t('attachment-upload')} .el-upload-dragger`)
    const data = await page.evaluateHandle((n) => {
      const dt = new DataTransfer()
      dt.items.add(new File([`%PDF-1.4\n% ${n}\n%%EOF\n`], n, { type: 'application/pdf' }))
      return dt
    }, name)
    await drop.dispatchEvent('dragover', { dataTransfer: data })
    await drop.dispatchEvent('drop', { dataTransfer: data })
    await page.locator(`${t('attachment-table')} .el-table__body tr`).filter({ hasText: name }).waitFor()
  }

  async function take(transition, state) {
    await page.locator(t(`transition-${transition}`)).click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator(t('record-state')).filter({ hasText: state }).waitFor()
  }

  it('records 立案 and 调查取证, each with its proof; the drawer shows them by step, digests checked', async () => {
    await prove('立案审批表.pdf')
    await take('file', '已立案')
    await prove('询问笔录.pdf')
    await take('investigate', '调查取证')
    const table = page.locator(t('attachment-table'))
    await table.locator(t('attachment-step-received')).waitFor()
    await table.locator(t('attachment-step-filed')).waitFor()
    const rows = await table.locator('.el-table__body tr').allInnerTexts()
    assert.equal(rows.length, 2)
    assert.match(rows[0], /待立案[^]*立案审批表\.pdf[^]*SM3 一致/)
    assert.match(rows[1], /已立案[^]*询问笔录\.pdf[^]*SM3 一致/)
    await page.locator(t('record-timeline')).filter({ hasText: '立案' }).waitFor()
    assert.deepEqual(problems, [])
  })
})
