// Browser test of the 入企码 scan page (GET /c/{token}, no login) as an
// enterprise's phone shows it (390×844). A token of no record (run.sh, `fazhi
// qr make`), a forged and a truncated one each show their Chinese page,
// readable without sideways scrolling, without the console and any script.
// Then the whole path on an inspection the test makes through the API as
// the officer (two officers of the body holding valid certificates, a
// 行政检查 matter, an enterprise in scope, 重点检查 so no cap applies):
// 报备, the printable card (offered in the console's record drawer) and its
// token; the enterprise opens the page, sees the
// officers and their certificates, confirms the arrival; the officer
// records the result; the enterprise rates and complains; the page shows it.
//
// Environment: FAZHI_URL, FAZHI_QR_TOKEN, FAZHI_OFFICER_USER, FAZHI_PASSWORD.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { apiSession, openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TOKEN = env('FAZHI_QR_TOKEN')
const FORGED = TOKEN.slice(0, 60) + (TOKEN[60] === 'A' ? 'B' : 'A') + TOKEN.slice(61)
const INSP = '/registers/inspection/records'

// The officer's session for what the API returns as HTML (the card).
async function cardToken(id) {
  const login = await fetch(`${BASE}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: env('FAZHI_OFFICER_USER'), password: env('FAZHI_PASSWORD') }) })
  assert.equal(login.status, 200)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const r = await fetch(`${BASE}/api/v1${INSP}/${id}/qr-card`, { headers: { Cookie: cookie } })
  const html = await r.text()
  assert.equal(r.status, 200, html)
  return html.match(/\/c\/([A-Za-z0-9_-]{112})/)[1]
}

describe('the 入企码 scan page on a phone (390×844)', { timeout: 120000 }, () => {
  let browser
  let page
  const problems = []
  const viewport = { width: 390, height: 844 }

  before(async () => {
    ;({ browser, page } = await openPage(problems, 20000, viewport))
  })
  after(async () => {
    await browser?.close()
  })

  const readable = async () => {
    const w = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(w <= viewport.width + 1, `page ${w}px wide on a ${viewport.width}px screen`)
    const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))
    assert.ok(size >= 16, `body text ${size}px`)
  }

  for (const [what, path, status, heading] of [
    ['a valid token of no record', `/c/${TOKEN}`, 404, '未找到对应的检查记录'],
    ['a forged token', `/c/${FORGED}`, 403, '入企码无效'],
    ['a truncated token', `/c/${TOKEN.slice(0, 80)}`, 404, '入企码不完整'],
  ]) {
    it(`${what}: ${heading}, readable at 390 px`, async () => {
      const r = await page.goto(`${BASE}${path}`)
      assert.equal(r.status(), status)
      assert.equal(await page.locator('h1').innerText(), heading)
      const text = await page.locator('main').innerText()
      assert.match(text, /12345/)
      assert.equal(await page.locator('script').count(), 0)
      assert.equal(await page.locator('#app').count(), 0)
      await readable()
      assert.deepEqual(problems, [])
    })
  }

  it('an inspection: the enterprise checks the officers, confirms, then rates and complains', async () => {
    const api = await apiSession(BASE, env('FAZHI_OFFICER_USER'), env('FAZHI_PASSWORD'))
    const me = (await api.get('/me')).user
    const people = (await api.get(`/people?officer=1&body=${me.bodies[0]}&limit=200`)).items.filter((p) => p.cert_valid)
    assert.ok(people.length >= 2, 'two certified officers in the body')
    const body = (await api.get('/bodies?limit=200')).items.find((b) => b.id === me.bodies[0])
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)
    const matter = (await api.post('/registers/enforcement_matter/records', { body: body.code, start_date: today, data: {
      code: `E2E-JC-${Date.now()}`, name: '食品经营场所卫生状况检查', kind: '行政检查', sector: '市场监管',
      basis: '《中华人民共和国食品安全法》第一百一十条' } })).id
    const ent = (await api.get('/subjects?kind=enterprise&limit=1')).items[0]
    assert.ok(ent, 'an enterprise in the officer\'s scope')
    const p = await api.post(INSP, { body: body.code, start_date: today, data: { enterprise: ent.id, matter,
      inspection_kind: '重点检查', window_from: today, window_to: today, officers: `${people[0].cert_no}、${people[1].cert_no}` } })
    await api.post(`${INSP}/${p.id}/transitions`, { transition: 'register' })
    const tok = await cardToken(p.id)

    // the officer's console offers the printable card in the record's drawer
    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    const dp = await desk.newPage()
    dp.setDefaultTimeout(20000)
    await signIn(dp, BASE, env('FAZHI_OFFICER_USER'), env('FAZHI_PASSWORD'))
    await dp.goto(`${BASE}/#/registers/inspection?open=${p.id}`)
    const link = dp.locator('[data-test="record-link-qr-card"]').filter({ hasText: '打印入企码' })
    await link.waitFor()
    assert.equal(await link.getAttribute('href'), `/api/v1/registers/inspection/records/${p.id}/qr-card`)
    const [tab] = await Promise.all([desk.waitForEvent('page'), link.click()])
    await tab.locator('.qr svg').waitFor()
    await tab.locator('#link').filter({ hasText: '/c/' }).waitFor()
    await desk.close()

    // the enterprise scans: who, from which body, certificates valid today
    const r = await page.goto(`${BASE}/c/${tok}`)
    assert.equal(r.status(), 200)
    await page.locator('#state').filter({ hasText: '本次检查已报备' }).waitFor()
    const main = page.locator('main')
    for (const t of [ent.name, body.name, people[0].name, people[0].cert_no, people[1].name, '食品经营场所卫生状况检查',
      '食品安全法》第一百一十条', `已报备（${today}）`])
      await main.filter({ hasText: t }).waitFor()
    assert.equal(await page.locator('#officers .cert.ok').count(), 2)
    await readable()
    await page.locator('#confirm button').click()
    await page.locator('#state').filter({ hasText: '检查人员已入企' }).waitFor()
    await main.filter({ hasText: '企业确认入企' }).waitFor()
    assert.equal((await api.get(`${INSP}/${p.id}`)).state, 'checked_in')

    // the officer records the result; the page offers the rating and the complaint
    await api.post(`${INSP}/${p.id}/transitions`, { transition: 'record_result', data: { result: '无问题', result_text: '未发现问题' } })
    await page.reload()
    await page.locator('#state').filter({ hasText: '欢迎评价' }).waitFor()
    await page.locator('#rate select').selectOption('4')
    await page.locator('#rate textarea').fill('检查规范，用时较短')
    await page.locator('#rate button').click()
    await main.filter({ hasText: '4 分' }).waitFor()
    await main.filter({ hasText: '检查规范，用时较短' }).waitFor()
    assert.equal(await page.locator('#rate').count(), 0)
    await page.locator('#complain textarea').fill('检查结束后仍多次电话要求补交材料')
    await page.locator('#complain button').click()
    await page.locator('#state').filter({ hasText: '感谢您的反馈' }).waitFor()
    await main.filter({ hasText: '检查结束后仍多次电话要求补交材料' }).waitFor()
    assert.equal(await page.locator('form').count(), 0)
    const rec = await api.get(`${INSP}/${p.id}`)
    assert.equal(rec.state, 'complained')
    assert.ok(rec.data.complaint_item > 0)
    await readable()
    assert.deepEqual(problems, [])
  })
})
