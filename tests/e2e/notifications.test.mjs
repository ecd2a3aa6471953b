// Browser test of the 工作台's 待办, 催办/督办 and the 站内通知: the
// coordinator's 待办 lists its review items, each opening its record; the
// coordinator urges another body's overdue item from the record's drawer
// (its timeline shows the 催办单) and supervises an overdue task; the body's clerk sees the bell count,
// finds the notice on the notifications page and opening it marks it read;
// the system administrator adds a group robot and sees a failed test
// message's reason; the system pages show the health and the settings.
//
// Environment (run.sh): FAZHI_URL, FAZHI_USER / FAZHI_PASSWORD (a
// coordinator), FAZHI_DEPT_USER (a department clerk, same password),
// FAZHI_SYS_USER and FAZHI_SYS_TOTP_SECRET (the system administrator). The
// server runs its notification pass every second.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, signIn, env, apiSession } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const PASSWORD = env('FAZHI_PASSWORD')
const TIMEOUT = 20000
const t = (id) => `[data-test="${id}"]`

function addDays(date, days) {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

describe('待办, 催办 and notifications', { timeout: 240000 }, () => {
  const browsers = []
  const problems = []
  const issue = `浏览器测试逾期事项${Date.now()}`
  const message = '请于三日内整改到位并报送佐证材料'
  let itemId
  let replyBy
  let sysPage // one sign-in: a TOTP code is taken once

  // A fresh signed-in page (each user its own browser, so its own cookies).
  async function pageFor(user, totpSecret = '') {
    const { browser, page } = await openPage(problems, TIMEOUT)
    browsers.push(browser)
    await signIn(page, BASE, user, PASSWORD, totpSecret)
    return page
  }
  const badge = async (page) => {
    const sup = page.locator(`${t('bell-count')} sup`)
    if (!(await sup.isVisible())) return 0
    return Number((await sup.innerText()).trim())
  }

  before(async () => {
    // An overdue rectification item of the clerk's body, made by the office.
    const coord = await apiSession(BASE, env('FAZHI_USER'), PASSWORD)
    const dept = await apiSession(BASE, env('FAZHI_DEPT_USER'), PASSWORD)
    const me = (await dept.get('/me')).user
    const body = await coord.get(`/bodies/${me.bodies[0]}`)
    const item = await coord.post('/registers/rectification/records', {
      body: body.code,
      start_date: addDays(me.today, -40),
      data: { source: '法治督察', issue, deadline: addDays(me.today, -2) },
    })
    itemId = item.id
    replyBy = addDays(me.today, 3)
    assert.equal(item.deadline_status, 'overdue')
  })

  after(async () => {
    for (const b of browsers) await b.close()
  })

  it('the 工作台 lists the coordinator\'s 待办 by kind; a click opens the record', async () => {
    const page = await pageFor(env('FAZHI_USER'))
    await page.goto(`${BASE}/#/home`)
    const review = page.locator(t('todo-group-review'))
    await review.waitFor()
    assert.match(await review.locator('.group-title').innerText(), /待我审核/)
    const first = review.locator('[data-test^="todo-item-"]').first()
    const title = (await first.locator('.title').innerText()).trim()
    assert.ok(title.length > 0)
    await first.click()
    await page.locator(t('record-title')).filter({ hasText: title }).waitFor()
    assert.equal(await page.locator(t('menu-webhooks')).count(), 0, 'no 消息推送 for a coordinator')
  })

  it('the coordinator urges an overdue item from its drawer; the timeline shows the 催办单', async () => {
    const page = await pageFor(env('FAZHI_USER'))
    await page.goto(`${BASE}/#/registers/rectification?open=${itemId}`)
    await page.locator(t('record-title')).filter({ hasText: issue }).waitFor()
    assert.ok(await page.locator(t('record-supervise')).isEnabled(), '督办 offered on an overdue item')
    await page.locator(t('record-urge')).click()
    const dialog = page.locator(t('urge-dialog'))
    await dialog.waitFor()
    await page.locator(t('urge-message')).fill(message)
    await page.locator(`${t('urge-reply-by')} input`).fill(replyBy)
    await page.locator(`${t('urge-reply-by')} input`).press('Enter')
    await page.locator(t('urge-submit')).click()
    await dialog.waitFor({ state: 'hidden' })
    const entry = page.locator(`${t('record-timeline')} .el-timeline-item`).filter({ hasText: '发出催办单' })
    await entry.waitFor()
    assert.match(await entry.innerText(), new RegExp(`${message}.*回复期限 ${replyBy}`))
    // A second one the same day: the server's refusal, in its words.
    await page.locator(t('record-urge')).click()
    await dialog.waitFor()
    await page.locator(t('urge-submit')).click()
    await page.locator(t('urge-error')).filter({ hasText: '今天已对该事项发出过催办单' }).waitFor()
    await dialog.locator('.el-dialog__footer .el-button').first().click()
    await dialog.waitFor({ state: 'hidden' })
    // A 督办单 on an overdue task from the tasks page.
    await page.goto(`${BASE}/#/tasks`)
    const supervise = page.locator('[data-test^="assignment-supervise-"]').first()
    await supervise.waitFor()
    await supervise.click()
    await dialog.waitFor()
    assert.match(await dialog.innerText(), /已逾期/)
    await page.locator(t('urge-submit')).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('.el-message--success').filter({ hasText: '已发出督办单' }).waitFor()
    assert.deepEqual(problems, [])
  })

  it('the body\'s clerk is told: the bell counts it, the notifications page lists it, opening it marks it read', async () => {
    const page = await pageFor(env('FAZHI_DEPT_USER'))
    // The pass runs every second; the bell refreshes on every page change.
    let before = 0
    for (let i = 0; i < 20 && !before; i++) {
      await page.goto(`${BASE}/#/home?try=${i}`)
      await page.locator(t('bell')).waitFor()
      await page.waitForTimeout(300)
      before = await badge(page)
    }
    assert.ok(before >= 2, `交办 and 催办 unread: ${before}`)
    await page.locator(t('bell')).click()
    await page.locator(t('bell-list')).filter({ hasText: `催办单：${issue}` }).waitFor()
    await page.locator(t('bell-all')).click()
    await page.locator(t('notifications-page')).waitFor()
    const notice = page.locator('[data-test^="notification-"]').filter({ hasText: `催办单：${issue}` })
    await notice.waitFor()
    assert.match(await notice.innerText(), new RegExp(message))
    assert.equal(await notice.locator(t('notification-unread')).count(), 1)
    await notice.click()
    await page.locator(t('record-title')).filter({ hasText: issue }).waitFor()
    await page.waitForFunction(
      ([sel, n]) => Number(document.querySelector(sel)?.innerText || 0) === n,
      [`${t('bell-count')} sup`, before - 1],
    )
    // Read now: not among the unread.
    await page.goto(`${BASE}/#/notifications`)
    await page.locator(t('notifications-unread')).click()
    await page.locator('[data-test^="notification-"]').first().waitFor()
    assert.equal(await page.locator('[data-test^="notification-"]').filter({ hasText: `催办单：${issue}` }).count(), 0)
    // The clerk's 待办: the item, overdue, under 待办理.
    await page.goto(`${BASE}/#/home`)
    const mine = page.locator(`${t('todo-group-todo')} ${t(`todo-item-rectification-${itemId}`)}`)
    await mine.waitFor()
    assert.match(await mine.innerText(), /已逾期/)
    assert.equal(await page.locator(t('record-urge')).count(), 0)
    assert.deepEqual(problems, [])
  })

  it('the system administrator adds a group robot; a failed test message shows its reason', async () => {
    const page = (sysPage = await pageFor(env('FAZHI_SYS_USER'), env('FAZHI_SYS_TOTP_SECRET')))
    await page.locator(t('menu-webhooks')).click()
    await page.locator(t('webhooks-page')).waitFor()
    await page.locator(t('webhook-create')).click()
    const dialog = page.locator(t('webhook-dialog'))
    await dialog.waitFor()
    // Nothing chosen: the server's message under the field.
    await page.locator(t('webhook-name')).fill('浏览器测试群机器人')
    await page.locator(t('webhook-url')).fill('http://127.0.0.1:9/robot/send?access_token=e2e-secret-token')
    await page.locator(t('webhook-submit')).click()
    await dialog.locator('.el-form-item__error').filter({ hasText: '地区' }).waitFor()
    await page.locator(`${t('webhook-region')} .el-cascader`).click()
    await page.locator('.el-cascader__dropdown:visible .el-cascader-node .el-radio').first().click()
    await page.keyboard.press('Escape')
    await page.locator(t('webhook-submit')).click()
    await dialog.waitFor({ state: 'hidden' })
    const row = page.locator(`${t('webhooks-table')} .el-table__body tr`).filter({ hasText: '浏览器测试群机器人' })
    await row.waitFor()
    assert.ok(!(await row.innerText()).includes('e2e-secret-token'), 'the key is masked')
    // No receiver at that address: the reason, not a crash.
    await row.locator('[data-test^="webhook-test-"]').click()
    const result = page.locator(t('webhook-test-result'))
    await result.waitFor()
    assert.match(await result.innerText(), /未送达.*发送失败/)
    await row.locator('[data-test^="webhook-enabled-"]').click()
    await row.locator('[data-test^="webhook-enabled-"]:not(.is-checked)').waitFor()
    await row.locator('[data-test^="webhook-delete-"]').click()
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await row.waitFor({ state: 'detached' })
    assert.deepEqual(problems, [])
  })

  it('the system administrator sees the system\'s health and its settings', async () => {
    const page = sysPage
    await page.locator(t('menu-system')).click()
    // the first pass may still be running when the page opens: wait for its time
    await page.locator(t('system-last-pass')).filter({ hasText: /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/ }).waitFor()
    await page.locator(t('menu-settings')).click()
    const table = page.locator(t('settings-table'))
    await table.waitFor()
    await table.locator('tr').filter({ hasText: 'notify_interval_seconds' }).waitFor()
    assert.equal(await table.locator('tr').filter({ hasText: 'pw_min_len' }).count(), 0, 'the security settings are not the system administrator\'s')
    assert.deepEqual(problems, [])
  })
})
