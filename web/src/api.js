// Fetch wrapper for the fazhi HTTP API (docs/api.md).
// - keeps the CSRF token (from POST /session and GET /me) in memory and sends
//   it as X-CSRF-Token on every state-changing request;
// - turns error answers {"error":{code,message,field}} into ApiError;
// - reports lost sessions / forced password changes to a registered handler.

const BASE = '/api/v1'
const SAFE_METHODS = new Set(['GET', 'HEAD'])

let csrfToken = ''
let authHandler = null

export function setCsrfToken(token) {
  csrfToken = token || ''
}

// handler(code) is called with 'unauthenticated' | 'session_expired' |
// 'password_change_required' when a request (other than login) hits one.
export function onAuthProblem(handler) {
  authHandler = handler
}

export class ApiError extends Error {
  constructor(status, code, message, field, body) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.field = field || null
    this.body = body || null // the whole error answer (e.g. an import's bad rows)
  }
}

export function buildQuery(params) {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === '' || v === false) continue
    qs.append(k, v === true ? '1' : String(v))
  }
  const s = qs.toString()
  return s ? `?${s}` : ''
}

const STATUS_MESSAGES = {
  400: '请求参数有误',
  401: '请先登录',
  403: '无权执行此操作',
  404: '请求的数据不存在',
  409: '数据冲突',
  413: '提交的数据过大',
  415: '不支持的文件类型',
  422: '数据校验未通过',
  423: '账号已锁定',
  429: '请求过于频繁，请稍后再试',
}

async function toError(res) {
  let body = null
  try {
    body = await res.json()
  } catch {
    /* not JSON (proxy error page etc.) */
  }
  const e = body && body.error
  const fallback = STATUS_MESSAGES[res.status] || `服务器错误（HTTP ${res.status}）`
  return new ApiError(res.status, e?.code || 'http_' + res.status, e?.message || fallback, e?.field, body)
}

async function send(method, path, { query, body, raw, contentType, quiet } = {}) {
  const headers = { Accept: 'application/json' }
  const init = { method, headers, credentials: 'same-origin' }
  if (raw !== undefined) {
    // A file sent as the request body (evidence upload).
    headers['Content-Type'] = contentType || 'application/octet-stream'
    init.body = raw
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  if (!SAFE_METHODS.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken
  let res
  try {
    res = await fetch(BASE + path + buildQuery(query), init)
  } catch {
    throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试')
  }
  if (!res.ok) {
    const err = await toError(res)
    const authCodes = ['unauthenticated', 'session_expired', 'password_change_required']
    if (!quiet && authHandler && authCodes.includes(err.code)) authHandler(err.code)
    throw err
  }
  return res
}

async function json(method, path, opts) {
  const res = await send(method, path, opts)
  if (res.status === 204) return null
  const text = await res.text()
  return text ? JSON.parse(text) : null
}

export const api = {
  get: (path, query, opts) => json('GET', path, { ...opts, query }),
  post: (path, body, opts) => json('POST', path, { ...opts, body }),
  patch: (path, body, opts) => json('PATCH', path, { ...opts, body }),
  put: (path, body, opts) => json('PUT', path, { ...opts, body }),
  // POSTs a Blob/File as the raw body with its Content-Type.
  upload: (path, query, file, contentType, opts) => json('POST', path, { ...opts, query, raw: file, contentType }),
  // PUTs a Blob/File as the raw body (replacing an attachment).
  uploadPut: (path, query, file, contentType, opts) => json('PUT', path, { ...opts, query, raw: file, contentType }),
  del: (path, opts) => json('DELETE', path, opts),
}

function filenameFrom(res, fallback) {
  const cd = res.headers.get('Content-Disposition') || ''
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(cd)
  if (star) {
    try {
      return decodeURIComponent(star[1].trim())
    } catch {
      /* fall through */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(cd)
  return plain ? plain[1].trim() : fallback
}

// Saves an answer's body as a file named name; returns the name.
async function saveAs(res, name) {
  const blob = await res.blob()
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
  return name
}

// Downloads a file the API answers (GET path?query), saved under the name
// the server gives, or fallbackName when the server's is generic.
export async function downloadFile(path, query, fallbackName, generic = /^export\.xlsx$/i) {
  const res = await send('GET', path, { query })
  const name = filenameFrom(res, fallbackName)
  return saveAs(res, fallbackName && generic.test(name) ? fallbackName : name)
}

// Downloads a list as .xlsx: the same query with format=xlsx. The server
// names every export "export.xlsx": the page's name is better.
export function downloadXlsx(path, query, fallbackName) {
  return downloadFile(path, { ...query, page: undefined, limit: undefined, format: 'xlsx' }, fallbackName)
}

// POSTs body and saves the file the server answers under the name it gives.
export async function downloadPost(path, body, fallbackName) {
  const res = await send('POST', path, { body })
  return saveAs(res, filenameFrom(res, fallbackName))
}

// Fetches every page of a list (limit 200 each, at most maxPages pages).
export async function getAll(path, query, maxPages = 50) {
  const items = []
  for (let page = 1; page <= maxPages; page++) {
    const data = await api.get(path, { ...query, page, limit: 200 })
    const got = data?.items || []
    items.push(...got)
    if (got.length < 200 || items.length >= (data?.total ?? 0)) break
  }
  return items
}

// Same-origin URL of an API resource (links that the browser fetches itself).
export const apiUrl = (path, query) => BASE + path + buildQuery(query)
