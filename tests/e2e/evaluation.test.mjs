// Browser test of the evaluation pages against a server with the demo data
// (`fazhi demo`): 示范创建 for 2025 with its charts, the drill-down of an
// indicator to the register records behind it, the overdue items of
// 整改台账, and the 通报 exported as Word.
//
// Environment:
//   FAZHI_URL            base URL of a running fazhi server (required)
//   FAZHI_USER           a coordinator whose password needs no change
//   FAZHI_PASSWORD       its password
//   FAZHI_SCREENSHOT=1   also save the 示范创建 page to docs/screenshot.png
//   CHROMIUM_PATH        browser binary (default /usr/bin/chromium)
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openPage, env } from './browser.mjs'
import { zip } from '../integration/harness.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const USER = env('FAZHI_USER')
const PASSWORD = env('FAZHI_PASSWORD')
const TIMEOUT = 20000
// The demo data holds proposals and rectification items of two years; 2025
// has replied proposals, so 7.27.1 (建议提案按期答复率) has a value.
const YEAR = '2025'
const INDICATOR = '7.27.1'
const METRIC = 'proposal.replied_on_time'

const t = (id) => `[data-test="${id}"]`

// A one-sheet workbook of rows (strings inline, numbers as numbers: Excel
// stores a date as its serial day).
function workbook(rows) {
  const col = (i) => String.fromCharCode(65 + i)
  const cell = (v, ref) => typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>`
    : `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`
  const data = rows.map((r, i) => `<row r="${i + 1}">${r.map((v, k) => cell(v, `${col(k)}${i + 1}`)).join('')}</row>`).join('')
  return zip({
    'xl/workbook.xml': '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="导入" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${data}</sheetData></worksheet>`,
  })
}

describe('fazhi evaluation pages', { timeout: 180000 }, () => {
  let browser
  let page
  const problems = []

  before(async () => {
    ;({ browser, page } = await openPage(problems, TIMEOUT))
  })

  after(async () => {
    await browser?.close()
  })

  // Drops a file on an element as a user drags it from the desktop.
  async function drop(selector, name, buffer) {
    const dataTransfer = await page.evaluateHandle(({ b64, name }) => {
      const dt = new DataTransfer()
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))
      dt.items.add(new File([bytes], name, { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }))
      return dt
    }, { b64: buffer.toString('base64'), name })
    await page.dispatchEvent(selector, 'dragover', { dataTransfer })
    await page.dispatchEvent(selector, 'drop', { dataTransfer })
  }

  it('logs in as the coordinator and sees the evaluation menu', async () => {
    await page.goto(`${BASE}/`)
    await page.locator(t('login-username')).fill(USER)
    await page.locator(t('login-password')).fill(PASSWORD)
    await page.locator(t('login-submit')).click()
    await page.locator(t('console')).waitFor()
    for (const item of ['evaluation', 'scoring', 'tasks', 'rectification', 'proposal', 'bulletin']) {
      assert.equal(await page.locator(t(`menu-${item}`)).count(), 1, `menu item ${item}`)
    }
  })

  it(`opens 示范创建 for ${YEAR} with the total and the radar chart`, async () => {
    // The year by deep link (the picker defaults to last year).
    await page.goto(`${BASE}/#/evaluation?period=${YEAR}`)
    await page.locator(t('evaluation-page')).waitFor()
    await page.locator(t('eval-subtitle')).filter({ hasText: `${YEAR} 年度` }).waitFor()
    const total = (await page.locator(t('eval-total')).innerText()).trim()
    assert.match(total, /^\d+(\.\d+)?$/, `total shown: ${total}`)
    assert.ok(Number(total) > 0, `total > 0: ${total}`)
    const canvas = page.locator(`${t('eval-radar')} canvas`)
    await canvas.first().waitFor()
    const box = await canvas.first().boundingBox()
    assert.ok(box && box.width > 100 && box.height > 100, 'radar chart drawn')
    await page.locator(`${t('eval-compare')} canvas`).first().waitFor()
    if (process.env.FAZHI_SCREENSHOT === '1') {
      await page.waitForTimeout(800) // chart animations
      await page.screenshot({ path: path.resolve(here, '../../docs/screenshot.png') })
    }
  })

  it('says the target and the formula of an indicator in words', async () => {
    assert.match(await page.locator(t(`rule-${INDICATOR}`)).innerText(), /目标/)
    const f = await page.locator(t(`formula-${INDICATOR}`)).innerText()
    assert.ok(!f.includes('proposal.'), `no identifiers: ${f}`)
  })

  it('counts the same items as awaiting scores on 示范创建 and on 人工评分', async () => {
    const pending = (await page.locator(t('eval-pending')).innerText()).trim()
    assert.match(pending, /^\d+$/)
    await page.locator(t('eval-pending-card')).click()
    await page.locator(t('scoring-page')).waitFor()
    const summary = page.locator(t('scoring-summary'))
    await summary.filter({ hasText: '待评分' }).waitFor()
    await page.waitForFunction((sel) => /已评分 \d+ 项/.test(document.querySelector(sel)?.innerText || '') && !document.querySelector('.el-loading-mask'), t('scoring-summary'))
    const m = /待评分 (\d+) 项/.exec(await summary.innerText())
    assert.equal(m?.[1], pending, `scoring page: ${await summary.innerText()}`)
    await page.goBack()
    await page.locator(t('evaluation-page')).waitFor()
  })

  it(`drills ${INDICATOR} down to the proposals behind its value`, async () => {
    const value = page.locator(t(`drill-${INDICATOR}`))
    await value.scrollIntoViewIfNeeded()
    assert.match(await value.innerText(), /^\d+\.\d{2}%$/, 'a ratio shown as a percentage')
    await value.click()
    const dialog = page.locator(t('drill-dialog'))
    await dialog.waitFor()
    const pane = dialog.locator(t(`drill-pane-${METRIC}`))
    const rows = pane.locator(`${t(`drill-table-${METRIC}`)} tbody tr[data-record]`)
    await rows.first().waitFor()
    const shown = Number((await pane.locator(t('drill-value')).innerText()).trim())
    assert.ok(shown > 0, `metric value ${shown}`)
    // The records table lists every record the counter counted (up to 500).
    assert.equal(await rows.count(), Math.min(shown, 500), 'one row per counted record')
    // a row opens its record in the register's page
    const id = await rows.first().getAttribute('data-record')
    const title = (await rows.first().locator('td').nth(1).innerText()).trim()
    await page.locator(t(`drill-open-${id}`)).click()
    await page.locator(t('record-title')).filter({ hasText: title }).waitFor()
    await page.keyboard.press('Escape')
    await page.goto(`${BASE}/#/evaluation?period=${YEAR}`)
    await page.locator(t('evaluation-page')).waitFor()
  })

  it('lists overdue rectification items in red', async () => {
    await page.locator(t('menu-rectification')).click()
    await page.locator(t('register-table')).waitFor()
    await page.locator(t('register-status')).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '已逾期未办结' }).click()
    const overdue = page.locator(`${t('register-table')} .el-table__body tr.row-overdue`)
    await overdue.first().waitFor()
    assert.ok((await overdue.count()) >= 1, 'at least one overdue row')
    assert.equal((await overdue.first().locator(t('deadline-overdue')).innerText()).trim(), '已逾期')
    const color = await overdue.first().evaluate((el) => getComputedStyle(el).color)
    assert.equal(color, 'rgb(245, 108, 108)', 'overdue rows are red')
    // Its detail shows the deadline status and the basis of the due date.
    await overdue.first().locator('[data-test^="record-open-"]').click()
    await page.locator(t('record-deadline-status')).filter({ hasText: '已逾期' }).waitFor()
    assert.ok((await page.locator(t('record-basis')).innerText()).trim().length > 0, 'deadline basis shown')
    await page.keyboard.press('Escape')
  })

  it('imports rectification items from a CSV file, listing the bad rows of a bad one', async () => {
    const head = '责任单位,起算日期,问题来源,问题描述,整改期限'
    const bad = `${head}\r\nB330200-SFJ,2026-03-02,乱填来源,浏览器导入坏行,2026-06-30\r\n`
    const stamp = Date.now().toString(36)
    const good = `\ufeff${head}\r\nB330200-SFJ,2026/3/2,法治督察,浏览器导入${stamp}甲,2026-06-30\r\n` +
      `B330200-SFJ,2026-03-03,案卷评查,"浏览器导入${stamp}乙, 含逗号",2026-07-31\r\n`
    await page.locator(t('register-import')).click()
    const dialog = page.locator(t('record-import-dialog'))
    await dialog.waitFor()
    const file = page.locator(`${t('record-import-upload')} input[type=file]`)
    await file.setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) })
    await page.locator(t('record-import-submit')).click()
    const rows = page.locator(`${t('record-import-rows')} .el-table__body tr`)
    await rows.first().waitFor()
    assert.equal(await rows.count(), 1)
    assert.equal((await rows.first().locator('td').first().innerText()).trim(), '2', 'the bad row, numbered as in Excel')
    assert.match(await page.locator(t('record-import-error')).innerText(), /未导入任何记录/)

    await file.setInputFiles({ name: 'good.csv', mimeType: 'text/csv', buffer: Buffer.from(good) })
    await page.locator(t('record-import-submit')).click()
    await page.locator(t('record-import-ok')).filter({ hasText: '已导入 2 条记录' }).waitFor()
    await dialog.locator('.el-dialog__footer button', { hasText: '关闭' }).click()
    // Still filtered to overdue items: these are, their deadlines passed.
    await page.locator(t('register-q')).fill(`浏览器导入${stamp}`)
    await page.locator(t('register-search')).click()
    const listed = page.locator(`${t('register-table')} .el-table__body tr`)
    await listed.filter({ hasText: `浏览器导入${stamp}乙, 含逗号` }).waitFor()
    // The list the import refreshed (every overdue item) may still show: wait for the search's.
    await listed.nth(2).waitFor({ state: 'detached' })
    assert.equal(await listed.count(), 2, 'both imported items listed')
  })

  it('imports an .xlsx dropped on the upload box; a bad row lists every error by row, column and problem', async () => {
    await page.locator(t('register-import')).click()
    const dialog = page.locator(t('record-import-dialog'))
    await dialog.waitFor()
    // The Excel template comes from the server, named after the register.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(t('record-import-template')).click()])
    assert.equal(download.suggestedFilename(), '整改台账导入模板.xlsx')

    const stamp = Date.now().toString(36)
    const bad = workbook([['责任单位', '起算日期', '问题来源', '问题描述', '整改期限'],
      ['宁波市司法局', 46083, '法治督察', `拖放导入${stamp}好行`, 46203],
      ['没有这个局', 46083, '乱填来源', `拖放导入${stamp}坏行`, '2026-02-30']])
    await drop(`${t('record-import-upload')} .el-upload-dragger`, 'bad.xlsx', bad)
    await page.locator(t('record-import-submit')).click()
    const rows = page.locator(`${t('record-import-rows')} .el-table__body tr`)
    await rows.first().waitFor()
    const cells = await rows.evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())))
    assert.deepEqual(cells.map(([line, column]) => [line, column]).sort(),
      [['3', '整改期限'], ['3', '责任单位'], ['3', '问题来源']], JSON.stringify(cells))
    for (const [, column, message] of cells) {
      assert.ok(message.includes(column), message)
      assert.doesNotMatch(message, /\b(body|source|deadline)\b/, message)
    }
    assert.match(await page.locator(t('record-import-error')).innerText(), /未导入任何记录/)

    const good = workbook([['责任单位', '起算日期', '问题来源', '问题描述', '整改期限'],
      ['宁波市司法局', 46083, '法治督察', `拖放导入${stamp}甲`, 46203]])
    await page.locator(`${t('record-import-upload')} input[type=file]`).setInputFiles({ name: 'good.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: good })
    await page.locator(t('record-import-submit')).click()
    await page.locator(t('record-import-ok')).filter({ hasText: '已导入 1 条记录' }).waitFor()
    await dialog.locator('.el-dialog__footer button', { hasText: '关闭' }).click()
  })

  it('assigns an indicator in the task dialog: a missing body is named under its field, then it is saved', async () => {
    await page.locator(t('menu-tasks')).click()
    await page.locator(t('tasks-page')).waitFor()
    await page.locator(t('assignment-create')).click()
    const dialog = page.locator(t('assignment-dialog'))
    await dialog.waitFor()
    await page.locator(t('assignment-indicator')).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '8.34.1' }).first().click()
    await page.locator(t('assignment-submit')).click()
    await dialog.locator('.el-form-item__error', { hasText: '请选择责任单位' }).waitFor()
    await page.locator(t('assignment-body')).click()
    await page.locator('.el-select-dropdown__item:visible').first().click()
    await page.locator(t('assignment-submit')).click()
    await page.locator('.el-message--success', { hasText: '已将指标 8.34.1 分解到责任单位' }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
  })

  it('exports the 通报 as Word with the edited 按语: the browser saves a .docx', async () => {
    await page.locator(t('menu-bulletin')).click()
    await page.locator(t('bulletin-page')).waitFor()
    await page.locator(t('bulletin-ranking')).waitFor()
    const remarks = page.locator(t('bulletin-remarks')) // el-input puts it on the textarea
    assert.match(await remarks.inputValue(), /现将有关情况通报如下/, 'prefilled with the server\'s 按语')
    await remarks.fill('浏览器中编辑的按语。')
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(t('bulletin-word')).click()])
    assert.match(download.suggestedFilename(), /通报\.docx$/)
    const bytes = readFileSync(await download.path())
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a ZIP package')
    await page.locator('.el-message--success', { hasText: '已导出' }).waitFor()
  })

  it('has no console errors', () => {
    assert.deepEqual(problems, [])
  })
})
