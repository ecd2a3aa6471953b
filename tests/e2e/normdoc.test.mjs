// Browser test of a 行政规范性文件 from draft to filed: the department clerk
// (its body on the demo's 制定主体清单) registers a draft dated some weeks
// back, puts it out for comment, submits it for legality review; the
// office (the coordinator) gives its opinion; the clerk records the
// collective deliberation, issues it — the platform numbers it in the
// body's series —, publishes it and files it, the 报备 deadline shown.
//
// Environment: FAZHI_URL, FAZHI_USER, FAZHI_DEPT_USER, FAZHI_PASSWORD, as run.sh sets.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TIMEOUT = 20000
const t = (id) => `[data-test="${id}"]`
const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10)
const TITLE = `关于规范城市道路临时占用管理的通知${Date.now()}`

describe('行政规范性文件', { timeout: 240000 }, () => {
  let clerk, office
  const problems = []
  let id = 0

  before(async () => {
    clerk = await openPage(problems, TIMEOUT)
    await signIn(clerk.page, BASE, env('FAZHI_DEPT_USER'), env('FAZHI_PASSWORD'))
    office = await openPage(problems, TIMEOUT)
    await signIn(office.page, BASE, env('FAZHI_USER'), env('FAZHI_PASSWORD'))
  })

  after(async () => {
    await clerk?.browser?.close()
    await office?.browser?.close()
    assert.deepEqual(problems, [])
  })

  // Takes transition name in page's drawer with the fields given
  // ({name: text | {date} | {choice}}), then waits for state.
  async function take(page, name, fields, state) {
    await page.locator(t(`transition-${name}`)).click()
    const dialog = page.locator(t('transition-dialog'))
    await dialog.waitFor()
    for (const [f, v] of Object.entries(fields)) {
      const box = page.locator(t(`transition-field-${f}`))
      if (v.date) {
        await box.locator('input').fill(v.date)
        await box.locator('input').press('Tab')
      } else if (v.choice) {
        await box.locator('.el-select').click()
        await page.locator('.el-select-dropdown__item:visible', { hasText: v.choice }).first().click()
      } else {
        await box.locator('textarea, input').first().fill(v)
      }
    }
    await page.locator(t('transition-submit')).click()
    await page.locator(t('record-state')).filter({ hasText: state }).waitFor()
  }

  it('the clerk registers a draft, puts it out for comment and submits it for legality review', async () => {
    const page = clerk.page
    const api = await apiSession(BASE, env('FAZHI_DEPT_USER'), env('FAZHI_PASSWORD'))
    const me = await api.get('/me')
    const bodyName = (await api.get(`/bodies/${(me.user || me).bodies[0]}`)).name
    await page.locator(t('menu-normdoc')).click()
    await page.locator(t('register-title')).filter({ hasText: '行政规范性文件' }).waitFor()
    await page.locator(t('register-create')).click()
    await page.locator(t('record-create-dialog')).waitFor()
    await page.locator(t('record-body')).click()
    await page.locator(`${t('record-body')} input`).fill(bodyName)
    await page.locator('.el-select-dropdown__item:visible', { hasText: bodyName }).first().click()
    await page.locator(`${t('record-start')} input`).fill(day(-40))
    await page.locator(`${t('record-start')} input`).press('Tab')
    await page.locator(`${t('record-field-title')} input`).fill(TITLE)
    await page.locator(`${t('record-field-drafting_unit')} input`).fill('法规科')
    await page.locator(`${t('record-field-summary')} textarea`).fill('明确临时占用道路的审批条件、期限和监管措施。')
    await page.locator(`${t('record-field-draft_text')} textarea`).fill('第一条 为规范城市道路临时占用，制定本通知。第二条 占用期限不超过一年。第三条 收取占道费每日每平方米十元。')
    await page.locator(t('record-create-submit')).click()
    await page.locator(t('record-title')).filter({ hasText: TITLE }).waitFor()
    assert.equal((await page.locator(t('record-state')).innerText()).trim(), '起草')
    id = (await api.get(`/registers/normdoc/records?q=${encodeURIComponent(TITLE)}`)).items[0].id
    await take(page, 'consult', { consult_from: { date: day(-38) }, consult_to: { date: day(-20) } }, '公开征求意见')
    await take(page, 'submit_review', { review_submitted_on: { date: day(-15) } }, '合法性审核')
  })

  it('the office reviews it on the 合法性审核 desk, the draft\'s articles beside the opinion', async () => {
    const page = office.page
    await page.goto(`${BASE}/#/registers/normdoc?tab=review`)
    await page.locator(t(`review-doc-${id}`)).click()
    const articles = page.locator(`${t('review-articles')} .article`)
    await articles.nth(2).waitFor()
    assert.equal(await articles.count(), 3)
    assert.match(await articles.nth(2).innerText(), /^第三条\s*收取占道费/)
    await page.locator(t('review-opinion')).getByText('修改后合法').click()
    await page.locator(t('review-reasons')).fill('第三条设定收费无法律依据，删除后合法')
    await page.locator(t('review-submit')).click()
    await page.locator(t(`review-doc-${id}`)).waitFor({ state: 'detached' })
  })

  it('the clerk deliberates, issues (numbered in the body\'s series), publishes and files it', async () => {
    const page = clerk.page
    await page.goto(`${BASE}/#/registers/normdoc?open=${id}`)
    await page.reload() // the drawer read afresh: the office has moved the record
    await page.locator(t('record-state')).filter({ hasText: '已出具审核意见' }).waitFor()
    await take(page, 'deliberate', { deliberated_on: { date: day(0) }, meeting: '局务会议' }, '已集体审议')
    await take(page, 'issue', { effective_on: { date: day(0) } }, '已统一编号印发')
    const drawer = page.locator(t('record-drawer'))
    await drawer.filter({ hasText: new RegExp(`〔${day(0).slice(0, 4)}〕\\d+号`) }).waitFor()
    await take(page, 'publish', { published_on: { date: day(0) }, publish_channel: '政府门户网站' }, '已公布，待报备')
    await take(page, 'file', { filed_on: { date: day(0) } }, '已报送备案，待审查')
    const text = await drawer.innerText()
    assert.match(text, /报送备案期限/)
    assert.match(text, /修改后合法/)
  })

  it('the office\'s 备案审查 desk lists it as filed and awaiting review', async () => {
    const page = office.page
    await page.goto(`${BASE}/#/registers/normdoc?tab=filing`)
    await page.locator(`${t('filing-filed')} tbody tr`, { hasText: TITLE }).waitFor()
    await page.locator(t(`filing-open-${id}`)).click()
    await page.locator(t('record-title')).filter({ hasText: TITLE }).waitFor()
    await page.locator(t('transition-pass_filing_review')).waitFor()
  })

  it('the office\'s 评估清理 desk lists the documents expiring by the date chosen', async () => {
    const page = office.page
    const api = await apiSession(BASE, env('FAZHI_USER'), env('FAZHI_PASSWORD'))
    const far = day(3650)
    const due = (await api.get(`/registers/normdoc/cleanup?before=${far}`)).expiring
    assert.ok(due.length > 0, 'the demo\'s documents in force expire within ten years')
    await page.goto(`${BASE}/#/registers/normdoc?tab=cleanup`)
    await page.locator(t('cleanup-table')).waitFor()
    await page.locator(`${t('cleanup-before')} input`).fill(far)
    await page.locator(`${t('cleanup-before')} input`).press('Enter')
    const rows = page.locator(`${t('cleanup-table')} .el-table__body tr`)
    await rows.nth(due.length - 1).waitFor()
    assert.equal(await rows.count(), due.length)
    await page.locator(t(`cleanup-open-${due[0].id}`)).click()
    await page.locator(t('record-title')).filter({ hasText: due[0].title }).waitFor()
  })
})
