// browser.mjs — launches Debian's chromium for the browser tests (the flags
// this machine's closed network needs) and opens a page that collects page
// errors and console errors into `problems`. Failed requests (the 401 of
// the session check before login) are expected and not counted.
import { createHmac } from 'node:crypto'
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

/** RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 secret, now. */
export function totpNow(secret) {
  let bits = 0
  let value = 0
  const key = []
  for (const c of secret) {
    value = (value << 5) | 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'.indexOf(c)
    bits += 5
    if (bits >= 8) {
      key.push((value >>> (bits - 8)) & 255)
      bits -= 8
    }
  }
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)))
  const h = createHmac('sha1', Buffer.from(key)).update(msg).digest()
  const o = h[19] & 15
  return String((((h[o] & 127) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]) % 1e6).padStart(6, '0')
}

// Signs in through the login page (the env's FAZHI_USER and FAZHI_PASSWORD
// unless given; an administrator with its TOTP secret) and waits for the
// console.
export async function signIn(page, base, user = process.env.FAZHI_USER, password = process.env.FAZHI_PASSWORD, totpSecret = '') {
  await page.goto(`${base}/`)
  await page.locator('[data-test="login-username"]').fill(user)
  await page.locator('[data-test="login-password"]').fill(password)
  await page.locator('[data-test="login-submit"]').click()
  if (totpSecret) {
    await page.locator('[data-test="login-totp"]').fill(totpNow(totpSecret))
    await page.locator('[data-test="login-submit"]').click()
  }
  await page.locator('[data-test="console"]').waitFor()
}

// A session over HTTP for setting up data the way a script would:
// {get(path), post(path, body)} resolving the parsed answer, throwing
// unless 2xx.
export async function apiSession(base, username, password) {
  const login = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  if (!login.ok) throw new Error(`login ${username}: HTTP ${login.status}`)
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const csrf = (await login.json()).csrf_token
  const call = async (method, path, body) => {
    const headers = { Cookie: cookie, Accept: 'application/json' }
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    if (method !== 'GET') headers['X-CSRF-Token'] = csrf
    const r = await fetch(`${base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await r.text()
    if (!r.ok) throw new Error(`${method} ${path}: HTTP ${r.status} ${text}`)
    return text ? JSON.parse(text) : null
  }
  return { get: (path) => call('GET', path), post: (path, body) => call('POST', path, body) }
}

// A required environment variable (run.sh sets them), or a clear error.
export const env = (name) => {
  const v = process.env[name]
  if (!v) throw new Error(`environment variable ${name} is required`)
  return v
}
