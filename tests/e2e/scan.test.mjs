// Browser test of the 入企码 scan page (GET /c/{token}, no login) as an
// enterprise's phone shows it (390×844): a valid token (made by run.sh with
// `fazhi qr make`) and a forged one each show their Chinese page, readable
// without sideways scrolling, without the console and without any script.
//
// Environment: FAZHI_URL, FAZHI_QR_TOKEN.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TOKEN = env('FAZHI_QR_TOKEN')
const FORGED = TOKEN.slice(0, 60) + (TOKEN[60] === 'A' ? 'B' : 'A') + TOKEN.slice(61)

describe('the 入企码 scan page on a phone (390×844)', { timeout: 60000 }, () => {
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

  for (const [what, path, status, heading] of [
    ['a valid token, no register yet', `/c/${TOKEN}`, 404, '未找到对应的检查记录'],
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
      const w = await page.evaluate(() => document.documentElement.scrollWidth)
      assert.ok(w <= viewport.width + 1, `page ${w}px wide on a ${viewport.width}px screen`)
      const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize))
      assert.ok(size >= 16, `body text ${size}px`)
      assert.deepEqual(problems, [])
    })
  }
})
