// Browser test of 综合查一次: the demo leaves a joint visit offered to the
// department clerk's body (its plan and another body's plan of the same
// enterprise, a week ahead); the clerk sees it on the 工作台 ("与 …的检查
// 可合并为一次联合检查"), accepts it, and finds its answer and the other
// body's plan, officers and items in the inspection's record drawer.
//
// Environment: FAZHI_URL, FAZHI_DEPT_USER, FAZHI_PASSWORD, as run.sh sets.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const USER = env('FAZHI_DEPT_USER')
const PASSWORD = env('FAZHI_PASSWORD')
const TIMEOUT = 20000
const t = (id) => `[data-test="${id}"]`

describe('the department clerk answers a joint visit offered to its body', { timeout: 120000 }, () => {
  let browser
  let page
  let api
  let offer
  const problems = []

  before(async () => {
    api = await apiSession(BASE, USER, PASSWORD)
    ;[offer] = (await api.get('/joint-merges?mine=1')).items
    assert.ok(offer, 'the demo leaves an offer awaiting the clerk\'s body')
    ;({ browser, page } = await openPage(problems, TIMEOUT))
    await signIn(page, BASE, USER, PASSWORD)
  })

  after(async () => {
    await browser?.close()
  })

  it('sees the offer on the 工作台 and accepts it', async () => {
    const card = page.locator(t(`joint-offer-${offer.id}`))
    await card.locator(t('joint-offer-text')).filter({ hasText: `与 ${offer.other_bodies.join('、')} 的检查可合并为一次联合检查` }).waitFor()
    await card.locator(t('joint-members')).filter({ hasText: offer.members.find((m) => !m.mine).officers }).waitFor()
    await card.locator(t('joint-accept')).click()
    await page.locator('.el-message--success', { hasText: '已接受' }).waitFor()
    await card.waitFor({ state: 'detached' }) // answered: no longer awaiting the body
    const [now] = (await api.get(`/joint-merges?record=${offer.members.find((m) => m.mine).record_id}`)).items
    assert.equal(now.id, offer.id)
    assert.equal(now.members.find((m) => m.mine).answer, 'accepted')
    assert.deepEqual(problems, [])
  })

  it('finds the offer, its members and its answer in the inspection\'s drawer', async () => {
    const mine = offer.members.find((m) => m.mine)
    await page.goto(`${BASE}/#/registers/inspection?open=${mine.record_id}`)
    const drawer = page.locator(t('record-drawer'))
    await drawer.locator(t(`joint-offer-${offer.id}`)).waitFor()
    const rows = drawer.locator(`${t('joint-members')} .el-table__body tr`)
    await rows.filter({ hasText: mine.body_name }).filter({ hasText: '已接受' }).waitFor()
    await rows.filter({ hasText: offer.members.find((m) => !m.mine).body_name }).filter({ hasText: '待答复' }).waitFor()
    assert.equal(await drawer.locator(t('joint-accept')).count(), 0)
    assert.deepEqual(problems, [])
  })
})
