// Browser test on a phone (390×844, as a leader opens the console inside a
// government messaging app): nothing wider than the screen, the menu as a
// drawer that does not cover the page until opened, the 工作台's 待办 and
// a register as cards, a record full-screen, a form dialog full-screen.
//
// Environment: FAZHI_URL, FAZHI_USER, FAZHI_PASSWORD (a coordinator).
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const W = 390
const t = (id) => `[data-test="${id}"]`

describe('the console on a phone (390×844)', { timeout: 180000 }, () => {
  let browser
  let page
  const problems = []
  const noSideways = async (where) => {
    const w = await page.evaluate(() => document.documentElement.scrollWidth)
    assert.ok(w <= W + 1, `${where}: page ${w}px wide on a ${W}px screen`)
  }

  before(async () => {
    ;({ browser, page } = await openPage(problems, 20000, { width: W, height: 844 }))
    await signIn(page, BASE, env('FAZHI_USER'), env('FAZHI_PASSWORD'))
  })

  after(async () => {
    await browser?.close()
  })

  it('shows the page, not a sidebar over it; the menu opens as a drawer', async () => {
    assert.equal(await page.locator('.shell-aside').count(), 0, 'no fixed sidebar')
    await noSideways('landing page')
    await page.locator(t('menu-toggle')).click()
    await page.locator(`${t('menu-drawer')} ${t('menu-rectification')}`).click()
    await page.locator(t('register-cards')).waitFor()
    await page.locator(t('menu-drawer')).waitFor({ state: 'hidden' })
  })

  it('shows the 工作台\'s 待办 list within the screen', async () => {
    await page.goto(`${BASE}/#/home`)
    const item = page.locator(`${t('todo')} [data-test^="todo-item-"]`).first()
    await item.waitFor()
    await noSideways('工作台 with 待办')
    const box = await item.boundingBox()
    assert.ok(box.x >= 0 && box.x + box.width <= W + 1, `待办 within the screen: ${JSON.stringify(box)}`)
    await page.locator(t('bell')).waitFor()
    const bell = await page.locator(t('bell')).boundingBox()
    assert.ok(bell.x + bell.width <= W + 1, `bell within the screen: ${JSON.stringify(bell)}`)
  })

  it('lists a register as cards within the screen and opens a record full-screen', async () => {
    await page.locator(t('menu-toggle')).click()
    await page.locator(`${t('menu-drawer')} ${t('menu-rectification')}`).click()
    const card = page.locator(`${t('register-cards')} .record-card`).first()
    await card.waitFor()
    await noSideways('register list')
    // the list's buttons wrap within the screen (the card clips what overflows, so check each)
    for (const b of ['register-create', 'register-import', 'register-export']) {
      const bb = await page.locator(t(b)).boundingBox()
      assert.ok(bb && bb.x >= 0 && bb.x + bb.width <= W + 1, `${b} within the screen: ${JSON.stringify(bb)}`)
    }
    const box = await card.boundingBox()
    assert.ok(box.x >= 0 && box.x + box.width <= W + 1, `card within the screen: ${JSON.stringify(box)}`)
    await card.click()
    await page.locator(t('record-title')).waitFor()
    const d = await page.locator('.el-drawer.rtl').last().boundingBox()
    assert.ok(d && d.width >= W - 1, `record full-screen: ${d?.width}`)
    await page.keyboard.press('Escape')
  })

  it('opens a form dialog full-screen', async () => {
    await page.locator(t('register-create')).click()
    const dialog = page.locator(t('record-create-dialog'))
    await dialog.waitFor()
    const box = await dialog.boundingBox()
    assert.ok(box && box.width >= W - 1, `dialog full-screen: ${box?.width}`)
    await page.keyboard.press('Escape')
    assert.deepEqual(problems, [])
  })
})
