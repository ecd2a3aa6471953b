// Browser test of 依申请公开: without signing in, the login page links the
// public form; a citizen files a request with a people's government and
// gets a number and a secret once, then reads its status (办理中, the due
// date 20 working days on, 第三十三条) by the two; a wrong secret finds
// nothing. A request the department answers after its due date shows on
// the coordinator's 首页: the body's 依申请公开按期答复率 in the ranking
// counts one more answer and no more on time.
//
// Environment: FAZHI_URL, FAZHI_USER, FAZHI_DEPT_USER, FAZHI_PASSWORD, as run.sh sets.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TIMEOUT = 20000
const t = (id) => `[data-test="${id}"]`
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10)
const RANK = 'office-rank-info_request-on_time_rate'

describe('政府信息公开申请', { timeout: 180000 }, () => {
  let anon, coord
  const problems = []
  let filed = null

  before(async () => {
    anon = await openPage(problems, TIMEOUT, { width: 390, height: 844 })
    coord = await openPage(problems, TIMEOUT)
  })

  after(async () => {
    await anon?.browser?.close()
    await coord?.browser?.close()
    assert.deepEqual(problems, [])
  })

  it('files a request from the login page without an account and gets its number and secret', async () => {
    const page = anon.page
    await page.goto(`${BASE}/#/login`)
    await page.locator(t('login-public-info-requests')).click()
    await page.locator(t('ir-form')).waitFor()
    await page.locator(t('ir-submit')).click() // nothing filled: the form names the field
    await page.locator('.el-form-item__error').first().waitFor()
    await page.locator(t('ir-region')).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '人民政府' }).first().click()
    await page.locator(t('ir-name')).fill('端到端申请人')
    await page.locator(t('ir-contact')).fill('13900000000')
    await page.locator(t('ir-content')).fill('本年度城区停车场规划文件')
    await page.locator(t('ir-submit')).click()
    await page.locator(t('ir-filed')).waitFor()
    filed = {
      number: (await page.locator(t('ir-number')).innerText()).trim(),
      secret: (await page.locator(t('ir-secret')).innerText()).trim(),
    }
    assert.match(filed.number, /^GK\d{4}-\d{6}$/)
    assert.match(filed.secret, /^[0-9a-f]{24}$/)
  })

  it('reads the status by number and secret; a wrong secret finds nothing', async () => {
    const page = anon.page
    await page.locator(t('ir-goto-status')).click()
    await page.locator(t('ir-state')).filter({ hasText: '办理中' }).waitFor()
    const due = (await page.locator(t('ir-due')).innerText()).trim()
    assert.match(due, /^\d{4}-\d{2}-\d{2}$/)
    assert.ok(due > day(20), `20 working days are more than 20 calendar days: ${due}`)
    await page.locator(t('ir-q-secret')).fill('0'.repeat(24))
    await page.locator(t('ir-lookup')).click()
    await page.locator(t('ir-not-found')).waitFor()
    assert.equal(await page.locator(t('ir-status')).count(), 0)
  })

  it('a request answered late shows on the coordinator\'s 首页 in the body\'s 按期答复率', async () => {
    const dept = await apiSession(BASE, env('FAZHI_DEPT_USER'), env('FAZHI_PASSWORD'))
    const office = await apiSession(BASE, env('FAZHI_USER'), env('FAZHI_PASSWORD'))
    const me = await dept.get('/me')
    const body = (await dept.get(`/bodies/${(me.user || me).bodies[0]}`)).code
    const start = day(-45) // due 20 working days on: past by today
    assert.equal(start.slice(0, 4), day(0).slice(0, 4), 'the board ranks this year: run outside the first weeks of a year')
    const ranked = async () => {
      const b = await office.get('/board')
      return b.rankings.find((k) => k.register === 'info_request' && k.name === 'on_time_rate').items
    }
    const rec = await dept.post('/registers/info_request/records', { body, start_date: start, data: {
      requester: '端到端逾期申请人', requester_kind: '自然人', contact: '13900000001', content: '某项目环评批复', channel: '当面' } })
    assert.ok(rec.due_date < day(0), `due ${rec.due_date} has passed`)
    const before = (await ranked()).find((x) => x.body_name === rec.body_name) || { numerator: 0, denominator: 0 }
    await dept.post(`/registers/info_request/records/${rec.id}/transitions`, { transition: 'answer',
      data: { answer_type: '予以公开', answer: '提供批复文件' } })
    const row = (await ranked()).find((x) => x.body_name === rec.body_name)
    assert.deepEqual([row.numerator, row.denominator], [before.numerator, before.denominator + 1], 'one more answer, not on time')

    await signIn(coord.page, BASE)
    await coord.page.locator(t(RANK)).waitFor()
    const more = coord.page.locator(t('office-rank-more-info_request-on_time_rate'))
    if (await more.count()) await more.click() // every body, not only the worst five
    const line = coord.page.locator(`${t(RANK)} ${t(`office-rank-row-${row.body_id}`)}`)
    await line.filter({ hasText: `${row.numerator}/${row.denominator}` }).waitFor()
    assert.match(await line.innerText(), new RegExp(`${(row.rate * 100).toFixed(1)}%`))
    await line.click() // opens the register filtered by the body
    await coord.page.waitForURL(/info_request.*body=/)
  })

  it('the register\'s 年度报告统计表 counts the requests as the API does, by the national format\'s rows', async () => {
    const office = await apiSession(BASE, env('FAZHI_USER'), env('FAZHI_PASSWORD'))
    const year = Number(day(0).slice(0, 4))
    const rep = await office.get(`/registers/info_request/annual-report?year=${year}`)
    const total = rep.rows.find((r) => r.item === '（七）总计')
    assert.ok(total.c6 > 0, 'this year has concluded requests')
    const page = coord.page
    await page.goto(`${BASE}/#/registers/info_request?tab=annual`)
    await page.locator(t('ir-annual-table')).waitFor()
    await page.locator(t('ir-annual-year')).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: `${year} 年` }).click()
    const row = page.locator(`${t('ir-annual-table')} tbody tr`, { hasText: '（七）总计' })
    await row.locator('td').last().filter({ hasText: new RegExp(`^\\s*${total.c6}\\s*$`) }).waitFor()
    assert.equal(await page.locator(`${t('ir-annual-table')} tbody tr`).count(), rep.rows.length)
  })
})
