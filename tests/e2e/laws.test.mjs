// Browser test of 法律法规统一公开查询 (no login): from the login page's link,
// search the two-character word 复议 and see a result with the word marked;
// open the 行政复议法 and see its versions (2017 已修改, 2023 现行有效) and the
// articles of the one in effect. Relies only on data/laws, which every demo
// imports (with or without ../shared).
//
// Environment: FAZHI_URL.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const t = (id) => `[data-test="${id}"]`
const LAW = '中华人民共和国行政复议法'
// a hit of that law itself (not of its 实施条例, whose title contains it)
const ofLaw = (page) => page.locator(t('laws-hit')).filter({ has: page.locator(t('laws-hit-title'), { hasText: new RegExp(`^${LAW}$`) }) })

describe('法律法规查询, without signing in', { timeout: 120000 }, () => {
  let browser
  let page
  const problems = []

  before(async () => {
    ;({ browser, page } = await openPage(problems, 20000))
  })
  after(async () => {
    await browser?.close()
    assert.deepEqual(problems, [])
  })

  it('the login page links the search; 复议 finds a result with the word marked', async () => {
    await page.goto(`${BASE}/#/login`)
    await page.locator(t('login-public-laws')).click()
    await page.locator(t('public-laws')).waitFor()
    await page.locator(t('laws-q')).fill('复议')
    await page.locator(t('laws-search')).click()
    const hit = ofLaw(page).filter({ has: page.locator('mark', { hasText: /^复议$/ }) })
    await hit.first().waitFor()
    assert.match(page.url(), /#\/public\/laws\?q=/)
    assert.equal(await page.locator(t('login-username')).count(), 0)
  })

  it('opens the law at the version in effect: its versions with their status, that version\'s articles', async () => {
    await ofLaw(page).filter({ hasText: '现行有效' }).first().click()
    await page.locator(t('public-law')).filter({ hasText: LAW }).waitFor()
    const rows = page.locator(`${t('law-versions')} tbody tr`)
    await rows.filter({ hasText: '2017-09-01' }).filter({ hasText: '已修改' }).waitFor()
    await rows.filter({ hasText: '2023-09-01' }).filter({ hasText: '现行有效' }).waitFor()
    await page.locator(`${t('law-article')}#a-39-0`).filter({ hasText: /^第三十九条/ }).waitFor()
    // the older version's articles on a click
    await rows.filter({ hasText: '2017-09-01' }).click()
    await page.locator(`${t('law-article')}#a-9-0`).filter({ hasText: /^第九条/ }).waitFor()
  })
})
