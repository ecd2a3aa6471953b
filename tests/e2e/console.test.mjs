// Browser test of the fazhi web console: Playwright core driving the
// system Chromium, run by node's test runner.
//
// Environment:
//   FAZHI_URL            base URL of a running fazhi server (required)
//   FAZHI_USER           a business-role user whose password needs no change
//   FAZHI_PASSWORD       its password
//   FAZHI_SUBJECT_QUERY  a name fragment of an enterprise in that user's scope
//   CHROMIUM_PATH        browser binary (default /usr/bin/chromium)
//   FAZHI_ADMIN_USER, FAZHI_ADMIN_PASSWORD, FAZHI_ADMIN_TOTP_SECRET
//                        optional: a secadmin and its TOTP secret (base32)
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, env, totpNow } from './browser.mjs'

const ADMIN = process.env.FAZHI_ADMIN_USER

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const USER = env('FAZHI_USER')
const PASSWORD = env('FAZHI_PASSWORD')
const SUBJECT_QUERY = env('FAZHI_SUBJECT_QUERY')
const TIMEOUT = 15000

const t = (id) => `[data-test="${id}"]`

describe('fazhi web console', { timeout: 120000 }, () => {
  let browser
  let page
  const problems = []

  before(async () => {
    ;({ browser, page } = await openPage(problems, TIMEOUT))
  })

  after(async () => {
    await browser?.close()
  })

  it('logs in and shows the console', async () => {
    await page.goto(`${BASE}/`)
    await page.locator(t('login-username')).fill(USER)
    await page.locator(t('login-password')).fill(PASSWORD)
    await page.locator(t('login-submit')).click()
    await page.locator(t('console')).waitFor()
    assert.equal(await page.locator(t('system-name')).innerText(), '法治政府建设管理平台')
    // the demo store says so on every page
    await page.locator(t('demo-badge')).waitFor()
    assert.equal((await page.locator(t('demo-badge')).innerText()).trim(), '演示数据')
    assert.ok((await page.locator(t('user-name')).innerText()).trim().length > 0, 'display name shown')
    assert.ok((await page.locator(t('user-role')).innerText()).trim().length > 0, 'role name shown')
    for (const item of ['home', 'org', 'people', 'subjects']) {
      assert.equal(await page.locator(t(`menu-${item}`)).count(), 1, `menu item ${item}`)
    }
    assert.equal(await page.locator(t('menu-audit')).count(), 0, 'no audit menu for a business role')
    // From 1 November a coordinator is told when next year's holidays are not loaded.
    const cal = await page.evaluate(async () => (await fetch('/api/v1/calendar')).json())
    if (cal.warn) {
      await page.locator(t('calendar-notice')).waitFor()
      assert.match(await page.locator(t('calendar-notice')).innerText(), new RegExp(`${cal.next_year} 年`))
    } else {
      await page.waitForTimeout(500)
      assert.equal(await page.locator(t('calendar-notice')).count(), 0)
    }
  })

  it('opens on the 工作台: each count is the filtered register list it opens', async () => {
    await page.locator(t('workbench')).waitFor()
    const overdue = (await page.locator(`${t('bench-rectification-overdue')} b`).innerText()).trim()
    assert.match(overdue, /^\d+$/)
    await page.locator(t('bench-rectification-overdue')).click()
    await page.locator(t('register-rectification')).waitFor()
    await page.locator(`${t('pager')} .el-pagination__total`).filter({ hasText: `共 ${overdue} 条` }).waitFor()
    const todo = (await (async () => {
      await page.goto(`${BASE}/#/home`)
      await page.locator(t('workbench')).waitFor()
      return page.locator(`${t('bench-rectification-todo')} b`).innerText()
    })()).trim()
    await page.locator(t('bench-rectification-todo')).click()
    await page.locator(`${t('register-todo')}.is-checked`).waitFor()
    await page.locator(`${t('pager')} .el-pagination__total`).filter({ hasText: `共 ${todo} 条` }).waitFor()
  })

  it("shows the office's board: the live total on its scale with its trend, pending scores, the bodies with most overdue items", async () => {
    await page.goto(`${BASE}/#/home`)
    await page.locator(t('office-board')).waitFor()
    const year = new Date(Date.now() + 8 * 3600e3).getUTCFullYear()
    const ev = await page.evaluate(async (y) => (await fetch(`/api/v1/evaluation?period=${y}`)).json(), year)
    await page.locator(t('office-total')).filter({ hasText: `/ ${parseFloat(ev.max.toFixed(2))}` }).waitFor()
    assert.match(await page.locator(t('office-trend')).innerText(), new RegExp(`较 ${year - 1} 年|无上年数据`))
    assert.equal((await page.locator(`${t('office-pending')} b`).innerText()).trim(), String(ev.pending), 'the evaluation\'s own count')
    const first = page.locator(`${t('office-late-bodies')} [data-test^="office-late-"]`).first()
    if (await first.count()) {
      const n = (await first.locator('b').innerText()).trim()
      await first.click()
      await page.locator(t('register-rectification')).waitFor()
      await page.locator(`${t('pager')} .el-pagination__total`).filter({ hasText: `共 ${n} 条` }).waitFor()
    }
  })

  it('expands the region tree to a county and shows its bodies', async () => {
    await page.locator(t('menu-org')).click()
    await page.locator(t('region-tree')).waitFor()
    // Open levels from the scope root down until a county (level 3) shows.
    const county = page.locator(`${t('region-tree')} [data-level="3"]`).first()
    for (let depth = 0; depth < 4 && !(await county.isVisible()); depth++) {
      const first = page.locator(`${t('region-tree')} [data-level]`).first()
      await first.waitFor()
      const closed = page.locator(`${t('region-tree')} .el-tree-node:not(.is-expanded) > .el-tree-node__content [data-level]`)
      const levels = await closed.evaluateAll((els) => els.map((e) => Number(e.dataset.level)))
      const idx = levels.findIndex((l) => l < 3)
      if (idx < 0) break
      await closed.nth(idx).click()
      await page.waitForTimeout(300)
      await county.waitFor({ timeout: 3000 }).catch(() => {})
    }
    await county.waitFor()
    const countyName = (await county.locator('span').first().innerText()).trim()
    await county.click()
    await page.locator(t('bodies-title')).filter({ hasText: countyName }).waitFor()
    const rows = page.locator(`${t('bodies-table')} .el-table__body tr`)
    await rows.first().waitFor()
    assert.ok((await rows.count()) > 0, `bodies of ${countyName}`)
    const kinds = await page.locator(`${t('bodies-table')} .el-table__body .el-tag`).allInnerTexts()
    // Kind labels are Chinese (政府/部门/乡镇街道/执法机构 or the server's own /meta labels), never raw codes.
    assert.ok(kinds.length > 0 && kinds.every((k) => /^[\u4e00-\u9fff（）()]+$/.test(k.trim())), `kind labels: ${kinds}`)
  })

  it('searches subjects by a name fragment', async () => {
    await page.locator(t('menu-subjects')).click()
    await page.locator(t('subjects-table')).waitFor()
    await page.locator(t('subjects-q')).fill(SUBJECT_QUERY)
    await page.locator(t('subjects-search')).click()
    const hit = page.locator(`${t('subjects-table')} .el-table__body tr`).filter({ hasText: SUBJECT_QUERY })
    await hit.first().waitFor()
    assert.match(await hit.first().innerText(), /企业|个体工商户|农民专业合作社/, 'listed by what its code says it is')
  })

  it("records an officer's training and shows the year's hours against the minimum", async () => {
    await page.locator(t('menu-people')).click()
    await page.locator(t('people-officer')).click()
    const first = page.locator(`${t('people-table')} [data-test^="training-"]`).first()
    await first.waitFor()
    const before = Number((await first.innerText()).match(/(\d+) 学时/)[1])
    await first.click()
    await page.locator(t('training-dialog')).waitFor()
    await page.locator(t('training-course')).fill('行政执法文书制作规范')
    await page.locator(`${t('training-hours-input')} input`).fill('12')
    await page.locator(t('training-submit')).click()
    await page.locator(t('training-hours')).filter({ hasText: String(before + 12) }).waitFor()
    await page.locator(`${t('training-list')} td`).filter({ hasText: '行政执法文书制作规范' }).waitFor()
    await page.keyboard.press('Escape')
  })

  it('logs out', async () => {
    await page.locator(t('logout')).click()
    await page.locator(t('login-submit')).waitFor()
    // The session is gone on the server too: the console is not reachable.
    await page.goto(`${BASE}/#/home`)
    await page.locator(t('login-submit')).waitFor()
    assert.deepEqual(problems, [])
  })

  it('an administrator is asked for a TOTP code; administrator accounts are host-managed', { skip: !ADMIN }, async () => {
    await page.locator(t('login-username')).fill(ADMIN)
    await page.locator(t('login-password')).fill(process.env.FAZHI_ADMIN_PASSWORD)
    await page.locator(t('login-submit')).click()
    await page.locator(t('login-totp')).waitFor()
    assert.match(await page.locator(t('login-notice')).innerText(), /动态验证码/)
    await page.locator(t('login-totp')).fill(totpNow(process.env.FAZHI_ADMIN_TOTP_SECRET))
    await page.locator(t('login-submit')).click()
    await page.locator(t('console')).waitFor()
    await page.locator(t('menu-users')).click()
    await page.locator(t('users-table')).waitFor()
    await page.locator(t('user-host-only-auditor')).waitFor()
    assert.equal(await page.locator(t('user-reset-auditor')).count(), 0, 'no reset button for an administrator')
    assert.equal(await page.locator(t('user-reset-coordinator')).count(), 1, 'business accounts keep theirs')
    // The security settings are this administrator's, the system's are not.
    assert.equal(await page.locator(t('menu-settings')).count(), 0)
    await page.locator(t('menu-security-settings')).click()
    await page.locator(t('security-settings-table')).locator('tr').filter({ hasText: 'pw_min_len' }).waitFor()
    await page.locator(t('logout')).click()
    await page.locator(t('login-submit')).waitFor()
    assert.deepEqual(problems, [])
  })
})
