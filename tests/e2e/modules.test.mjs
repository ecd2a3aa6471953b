// Browser test of a register the console has never seen: run.sh starts the
// server with FAZHI_REGISTERS_DIR=fixtures/registers, whose hotline.json is
// a definition and nothing else (no console file names it). The coordinator
// finds it in the 工作台账 menu, opens its list, creates a record, and moves
// it through both transitions — the second refused until its required
// field is filled, the refusal named under the field.
//
// Environment: FAZHI_URL, FAZHI_USER, FAZHI_PASSWORD (a coordinator), as
// for evaluation.test.mjs.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TIMEOUT = 20000
const DEF = JSON.parse(readFileSync(new URL('./fixtures/registers/hotline.json', import.meta.url), 'utf8'))
const t = (id) => `[data-test="${id}"]`

describe('a register declared only by its definition', { timeout: 180000 }, () => {
  let browser
  let page
  const problems = []
  const subject = `浏览器测试诉求${Date.now()}：小区路灯不亮`

  before(async () => {
    ;({ browser, page } = await openPage(problems, TIMEOUT))
    await signIn(page, BASE, env('FAZHI_USER'), env('FAZHI_PASSWORD'))
  })

  after(async () => {
    await browser?.close()
  })

  it('is in the 工作台账 menu under its label, beside the shipped registers', async () => {
    const group = page.locator(t('menu-group-registers'))
    assert.match(await group.innerText(), /工作台账/)
    assert.equal((await page.locator(t(`menu-${DEF.name}`)).innerText()).trim(), DEF.label)
    for (const shipped of ['rectification', 'proposal']) assert.equal(await page.locator(t(`menu-${shipped}`)).count(), 1)
  })

  it('opens its list page, titled by the definition', async () => {
    await page.locator(t(`menu-${DEF.name}`)).click()
    await page.locator(t(`register-${DEF.name}`)).waitFor()
    // the definition arrives after the page: wait for its label, then read it
    const title = page.locator(t('register-title')).filter({ hasText: DEF.label })
    await title.waitFor()
    assert.equal((await title.innerText()).trim(), DEF.label)
    await page.locator(t('breadcrumb-current')).filter({ hasText: DEF.label }).waitFor()
    assert.equal(await page.title(), `${DEF.label} - 法治政府建设管理平台`)
  })

  it('creates a record from the definition\'s fields', async () => {
    await page.locator(t('register-create')).click()
    const dialog = page.locator(t('record-create-dialog'))
    await dialog.waitFor()
    // the required choice missing: named under its field, nothing saved
    await page.locator(`${t('record-field-subject')} textarea, ${t('record-field-subject')} input`).first().fill(subject)
    await page.locator(t('record-body')).click()
    await page.locator('.el-select-dropdown__item:visible').first().click()
    await page.locator(t('record-create-submit')).click()
    await dialog.locator('.el-form-item__error').filter({ hasText: '来源渠道' }).waitFor()
    await page.locator(`${t('record-field-channel')} .el-select`).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '微信' }).click()
    await page.locator(t('record-create-submit')).click()
    await page.locator(t('record-drawer')).waitFor()
    await page.locator(t('record-title')).filter({ hasText: subject }).waitFor()
    assert.equal((await page.locator(t('record-state')).innerText()).trim(), '待签收')
    assert.match(await page.locator(t('record-basis')).innerText(), /工作日/)
  })

  it('moves it through its transitions; the one requiring a field asks for it', async () => {
    await page.locator(t('transition-take')).click() // no field required: a confirmation
    await page.locator('.el-message-box__btns .el-button--primary').click()
    await page.locator(t('record-state')).filter({ hasText: '办理中' }).waitFor()
    await page.locator(t('transition-finish')).click()
    const confirm = page.locator(t('transition-dialog'))
    await confirm.waitFor()
    await page.locator(t('transition-submit')).click()
    await confirm.locator('.el-form-item__error').filter({ hasText: '办理结果' }).waitFor()
    await page.locator(`${t('transition-field-answer')} textarea, ${t('transition-field-answer')} input`).first().fill('已联系物业修复路灯')
    await page.locator(t('transition-submit')).click()
    await page.locator(t('record-state')).filter({ hasText: '已办结' }).waitFor()
    await page.locator(t('record-timeline')).filter({ hasText: '办结' }).waitFor()
  })

  it('lists the record, and has no console errors', async () => {
    await page.keyboard.press('Escape')
    const rows = page.locator(`${t('register-table')} .el-table__body tr`).filter({ hasText: subject })
    await rows.first().waitFor()
    assert.match(await rows.first().innerText(), /已办结/)
    assert.deepEqual(problems, [])
  })
})
