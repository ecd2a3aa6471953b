// browser.mjs — launches Debian's chromium for the browser tests (the flags
// this machine's closed network needs) and opens a page that collects page
// errors and console errors into `problems`. Failed requests (the 401 of
// the session check before login) are expected and not counted.
import { chromium } from 'playwright-core'

export async function openPage(problems, timeout, viewport = { width: 1440, height: 900 }) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const context = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: viewport.width < 768, hasTouch: viewport.width < 768 })
  const page = await context.newPage()
  page.setDefaultTimeout(timeout)
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) problems.push(`console: ${msg.text()}`)
  })
  return { browser, page }
}

// Signs in through the login page (the env's FAZHI_USER and FAZHI_PASSWORD
// unless given) and waits for the console.
export async function signIn(page, base, user = process.env.FAZHI_USER, password = process.env.FAZHI_PASSWORD) {
  await page.goto(`${base}/`)
  await page.locator('[data-test="login-username"]').fill(user)
  await page.locator('[data-test="login-password"]').fill(password)
  await page.locator('[data-test="login-submit"]').click()
  await page.locator('[data-test="console"]').waitFor()
}

// A required environment variable (run.sh sets them), or a clear error.
export const env = (name) => {
  const v = process.env[name]
  if (!v) throw new Error(`environment variable ${name} is required`)
  return v
}
