// Browser test of 案卷评查: the coordinator finds the demo's finished review
// with its results per body, creates a review of last year (one case per
// body, a given seed), sees the sample with its reviewer, verifies the
// draw and changes a reviewer; the evaluator opens the case from 待评查, ticks a deduction on the
// rubric (the total follows live) and submits; the coordinator sees the
// score in the results.
//
// Environment: FAZHI_URL, FAZHI_USER (coordinator), FAZHI_EVAL_USER,
// FAZHI_PASSWORD, as run.sh sets.
import { describe, it, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { openPage, signIn, env } from './browser.mjs'

const BASE = env('FAZHI_URL').replace(/\/+$/, '')
const TIMEOUT = 20000
const TITLE = '端到端测试案卷评查'
const t = (id) => `[data-test="${id}"]`

describe('案卷评查', { timeout: 180000 }, () => {
  let coord, evaluator
  const problems = []

  before(async () => {
    coord = await openPage(problems, TIMEOUT)
    await signIn(coord.page, BASE, env('FAZHI_USER'), env('FAZHI_PASSWORD'))
    evaluator = await openPage(problems, TIMEOUT)
    await signIn(evaluator.page, BASE, env('FAZHI_EVAL_USER'), env('FAZHI_PASSWORD'))
  })

  after(async () => {
    await coord?.browser?.close()
    await evaluator?.browser?.close()
    assert.deepEqual(problems, [])
  })

  it('shows the demo\'s finished review with its results per body', async () => {
    const page = coord.page
    await page.locator(t('menu-case-reviews')).click()
    await page.locator(t('reviews-page')).waitFor()
    const row = page.locator(`${t('reviews-table')} tbody tr`, { hasText: '已办结' }).first()
    await row.waitFor()
    await row.click()
    await page.locator(`${t('review-results')} tbody tr`).first().waitFor()
    assert.match(await page.locator(t('review-detail')).innerText(), /主体合法|评分标准/)
  })

  it('creates a review: the sample per body with its reviewer, and the draw verified from the seed', async () => {
    const page = coord.page
    await page.locator(t('reviews-new')).click()
    await page.locator(`${t('review-size')} input`).fill('1')
    await page.locator(t('review-seed-input')).fill('e2e-seed')
    await page.locator(`${t('review-create')} input[placeholder="默认：某年度行政执法案卷评查"]`).fill(TITLE)
    await page.locator(t('review-create-submit')).click()
    await page.locator(t('review-seed')).filter({ hasText: 'e2e-seed' }).waitFor()
    const rows = page.locator(`${t('review-cases')} tbody tr`)
    await rows.first().waitFor()
    assert.ok((await rows.count()) >= 2)
    assert.match(await rows.first().innerText(), /第三方评估专家[^]*待评查/)
    await page.locator(t('review-verify')).click()
    assert.match(await page.locator(t('review-verified')).innerText(), /与记录的样本一致/)
    // the office may change a reviewer, choosing among those who may review
    await rows.first().locator('button', { hasText: '更换' }).click()
    await page.locator(t('review-assign-select')).click()
    await page.locator('.el-select-dropdown__item:visible', { hasText: '第三方评估专家' }).click()
    await page.locator(t('review-assign-submit')).click()
    await page.locator(t('review-assign')).waitFor({ state: 'hidden' })
  })

  it('the evaluator scores a case from 待评查 on the rubric; the coordinator sees it in the results', async () => {
    const page = evaluator.page
    await page.locator(t('menu-case-reviews')).click()
    const open = page.locator(`${t('reviews-mine')} tbody tr`, { hasText: TITLE }).first().locator('button', { hasText: '评查' })
    await open.click()
    const dialog = page.locator(t('case-score'))
    await dialog.locator(t('case-rubric')).waitFor()
    await dialog.locator(t('case-total')).filter({ hasText: '合计 100 分' }).waitFor()
    await dialog.locator(t('deduct-evidence-form')).click()
    await dialog.locator(t('case-total')).filter({ hasText: '合计 95 分' }).waitFor()
    await dialog.locator(t('case-submit')).click()
    await dialog.locator(t('case-total')).filter({ hasText: '已提交' }).waitFor()
    await page.keyboard.press('Escape')

    const cp = coord.page
    await cp.reload()
    await cp.locator(`${t('reviews-table')} tbody tr`, { hasText: TITLE }).first().click()
    await cp.locator(`${t('review-results')} tbody tr`).first().waitFor()
    const reviewed = await cp.locator(`${t('review-results')} tbody tr td:nth-child(3)`).allInnerTexts()
    assert.equal(reviewed.reduce((s, x) => s + Number(x), 0), 1, reviewed.join(','))
    assert.match(await cp.locator(t('review-cases')).innerText(), /95\s*合格/)
  })
})
