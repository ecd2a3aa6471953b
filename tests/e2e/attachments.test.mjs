// Browser test of 印证材料 in the record drawer: the coordinator opens a
// 整改 record, drops a PDF on the upload area, sees it listed (name, size,
// uploader, China time) with a working download, withdraws it with a
// reason — refused without one — and sees it 已撤回 with the reason, on
// the timeline too, its download gone.
//
// Environment: FAZHI_URL, FAZHI_USER, FAZHI_PASSWORD (a coordinator), as
// for evaluation.test.mjs.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TIMEOUT = 20000
const t = (id) => `[data-test="${id}"]`

describe('印证材料 in the record drawer', { timeout: 180000 }, () => {
  let browser
  let page
  const problems = []
  const name = `浏览器测试佐证${Date.now()}.pdf`
  const pdf = `%PDF-1.4\n% ${name}\n%%EOF\n`

  before(async () => {
    ;({ browser, page } = await openPage(problems, TIMEOUT))
    await signIn(page, BASE, env('FAZHI_USER'), env('FAZHI_PASSWORD'))
  })

  after(async () => {
    await browser?.close()
  })

  it('opens a record and shows its 印证材料 panel', async () => {
    await page.locator(t('menu-rectification')).click()
    await page.locator(t('register-rectification')).waitFor()
    await page.locator(`${t('register-table')} [data-test^="record-open-"]`).first().click()
    await page.locator(t('record-drawer')).waitFor()
    await page.locator(`${t('record-drawer')} ${t('attachment-upload')}`).waitFor()
  })

  it('takes a file dropped on the upload area and lists it', async () => {
    const drop = page.locator(`${t('attachment-upload')} .el-upload-dragger`)
    const data = await page.evaluateHandle(({ name, pdf }) => {
      const dt = new DataTransfer()
      dt.items.add(new File([pdf], name, { type: 'application/pdf' }))
      return dt
    }, { name, pdf })
    await drop.dispatchEvent('dragover', { dataTransfer: data })
    await drop.dispatchEvent('drop', { dataTransfer: data })
    const row = page.locator(`${t('attachment-table')} .el-table__body tr`).filter({ hasText: name })
    await row.waitFor()
    const text = await row.innerText()
    assert.match(text, /有效/)
    assert.match(text, /\d+ B/)
    assert.match(text, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/)
    const link = row.locator('a.file-link')
    const href = await link.getAttribute('href')
    const got = await page.evaluate(async (u) => {
      const r = await fetch(u)
      return { status: r.status, body: await r.text(), cd: r.headers.get('content-disposition') }
    }, href)
    assert.equal(got.status, 200)
    assert.equal(got.body, pdf, 'the same bytes back')
    assert.match(got.cd, /filename\*=UTF-8''/)
    await page.locator(t('record-timeline')).filter({ hasText: `上传印证材料：${name}` }).waitFor()
  })

  it('withdraws it only with a reason; it stays listed as 已撤回, on the timeline', async () => {
    const row = page.locator(`${t('attachment-table')} .el-table__body tr`).filter({ hasText: name })
    await row.locator('[data-test^="attachment-withdraw-"]').click()
    const box = page.locator('.el-message-box')
    await box.waitFor()
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await box.locator('.el-message-box__errormsg').filter({ hasText: '请填写理由' }).waitFor()
    await box.locator('input').fill('上传了其他案件的材料')
    await box.locator('.el-message-box__btns .el-button--primary').click()
    await row.locator('[data-test^="attachment-status-"]').filter({ hasText: '已撤回' }).waitFor()
    assert.match(await row.innerText(), /理由：上传了其他案件的材料/)
    assert.equal(await row.locator('a.file-link').count(), 0, 'no download once withdrawn')
    await page.locator(t('record-timeline')).filter({ hasText: '撤回印证材料' }).filter({ hasText: '上传了其他案件的材料' }).waitFor()
    assert.deepEqual(problems, [])
  })
})
