// Development mock of the fazhi HTTP API (docs/api.md) that also serves
// web/dist with the SPA fallback, so the console and its browser test can
// run before the C backend exists. Never used in production.
//
//   node mock-server.mjs            # listens on MOCK_PORT (default 18081)
//   import { startMockServer } ...  # used by run-with-mock.mjs
import http from 'node:http'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as data from './mock-data.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))
const DIST = path.resolve(process.env.FAZHI_DIST || path.join(here, '../../web/dist'))
const BUSINESS = ['coordinator', 'department', 'officer', 'legal_reviewer', 'evaluator']
const ROLE_NAMES = {
  coordinator: '依法治市办协调员', department: '责任单位', officer: '执法人员', legal_reviewer: '法制审核人员',
  evaluator: '评估专家', sysadmin: '系统管理员', secadmin: '安全管理员', auditor: '审计管理员',
}
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.woff2': 'font/woff2', '.json': 'application/json' }

class HttpError extends Error {
  constructor(status, code, message, field) {
    super(message)
    Object.assign(this, { status, code, field })
  }
}

function send(res, status, body, headers = {}) {
  if (status === 204) {
    res.writeHead(204, headers)
    return res.end()
  }
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers })
  res.end(text)
}

function page(items, q) {
  const p = Math.max(1, Number(q.get('page') || 1))
  const limit = Math.min(200, Math.max(1, Number(q.get('limit') || 20)))
  return { items: items.slice((p - 1) * limit, p * limit), total: items.length }
}

function xlsx(res, name, rows) {
  // Not a real workbook: enough for the console's download path.
  const body = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.from(JSON.stringify(rows.length))])
  res.writeHead(200, {
    'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'Content-Disposition': `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
  })
  res.end(body)
}

const contains = (q, ...fields) => !q || fields.some((f) => f && String(f).includes(q))

function userView(u) {
  return {
    id: u.id, username: u.username, display_name: u.display_name, role: u.role, role_name: ROLE_NAMES[u.role],
    scope_region: u.scope_region, scope_region_name: data.regionName(u.scope_region), bodies: u.bodies,
    must_change_password: !!u.must_change_password,
  }
}

async function readJson(req) {
  const chunks = []
  for await (const c of req) chunks.push(c)
  if (!chunks.length) return {}
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new HttpError(400, 'bad_json', '请求体不是合法的 JSON')
  }
}

export function createMockServer() {
  const sessions = new Map() // token → { userId, csrf }
  const subjects = data.subjects.map((s) => ({ ...s }))
  const users = data.users.map((u) => ({ ...u }))
  let nextSubject = subjects.length + 1
  let nextUser = users.length + 1

  function auth(req) {
    const m = /(?:^|;\s*)fazhi_session=([^;]+)/.exec(req.headers.cookie || '')
    const s = m && sessions.get(m[1])
    if (!s) throw new HttpError(401, 'unauthenticated', '请先登录')
    const user = users.find((u) => u.id === s.userId)
    if (!user || user.disabled) throw new HttpError(401, 'session_expired', '登录已失效，请重新登录')
    if (req.method !== 'GET' && req.headers['x-csrf-token'] !== s.csrf) throw new HttpError(403, 'csrf_failed', '安全校验失败，请刷新页面后重试')
    return { user, session: s, token: m[1] }
  }

  function need(user, roles) {
    if (user.must_change_password) throw new HttpError(403, 'password_change_required', '请先修改初始密码')
    if (!roles.includes(user.role)) throw new HttpError(403, 'forbidden', '无权访问该功能')
  }

  async function api(req, res, url) {
    const p = url.pathname.replace(/^\/api\/v1/, '')
    const q = url.searchParams
    const M = req.method

    if (p === '/health') return send(res, 200, { status: 'ok', version: 'mock', store: 'sqlite' })
    if (p === '/session' && M === 'POST') {
      const b = await readJson(req)
      const u = users.find((x) => x.username === b.username)
      if (u?.locked) throw new HttpError(423, 'locked', '账号已锁定：连续登录失败次数过多，请 30 分钟后再试或联系安全管理员')
      if (!u || u.password !== b.password || u.disabled) throw new HttpError(401, 'invalid_credentials', '用户名或密码错误')
      const token = crypto.randomBytes(16).toString('hex')
      const csrf = crypto.randomBytes(16).toString('hex')
      sessions.set(token, { userId: u.id, csrf })
      u.last_login_at = Math.floor(Date.now() / 1000)
      return send(res, 200, { user: userView(u), csrf_token: csrf }, { 'Set-Cookie': `fazhi_session=${token}; HttpOnly; SameSite=Strict; Path=/` })
    }

    const { user, session, token } = auth(req)
    if (p === '/session' && M === 'DELETE') {
      sessions.delete(token)
      return send(res, 204, null, { 'Set-Cookie': 'fazhi_session=; Max-Age=0; Path=/' })
    }
    if (p === '/me') return send(res, 200, { user: userView(user), csrf_token: session.csrf })
    if (p === '/me/password' && M === 'POST') {
      const b = await readJson(req)
      if (b.old_password !== user.password) throw new HttpError(422, 'invalid', '原密码不正确', 'old_password')
      if (!b.new_password || b.new_password.length < 8) throw new HttpError(422, 'invalid', '新密码至少 8 位，且须包含字母、数字和符号中的三种', 'new_password')
      user.password = b.new_password
      user.must_change_password = false
      return send(res, 204)
    }
    if (p === '/meta') return send(res, 200, { roles: ROLE_NAMES, body_kinds: { government: '政府', department: '部门', township: '乡镇街道', enforcement: '执法机构' }, cert_statuses: { active: '有效', suspended: '暂停', revoked: '吊销', expired: '过期' } })

    const scope = data.regionPrefix(user.scope_region || '')
    const inRegion = (code) => code.startsWith(q.get('region') ? data.regionPrefix(q.get('region')) : scope)

    if (p === '/regions' && M === 'GET') {
      need(user, [...BUSINESS, 'sysadmin', 'secadmin'])
      const items = q.get('root') ? data.regions.filter((r) => r.code === user.scope_region) : data.regions.filter((r) => r.parent === q.get('parent'))
      return send(res, 200, page(items, q))
    }
    let rm = /^\/regions\/(\d{6})$/.exec(p)
    if (rm && M === 'GET') {
      need(user, [...BUSINESS, 'sysadmin', 'secadmin'])
      const r = data.regions.find((x) => x.code === rm[1])
      if (!r) throw new HttpError(404, 'not_found', '行政区划不存在')
      return send(res, 200, r)
    }
    if (p === '/bodies' && M === 'GET') {
      need(user, [...BUSINESS, 'sysadmin', 'secadmin'])
      const items = data.bodies.filter((b) => inRegion(b.region) && (!q.get('kind') || b.kind === q.get('kind')) && contains(q.get('q'), b.name, b.code))
      return q.get('format') === 'xlsx' ? xlsx(res, '机构.xlsx', items) : send(res, 200, page(items, q))
    }
    if (p === '/people' && M === 'GET') {
      need(user, BUSINESS)
      const items = data.people.filter(
        (x) => inRegion(x.region) && (!q.get('body') || String(x.body_id) === q.get('body')) && (!q.get('officer') || x.cert_no) && contains(q.get('q'), x.name, x.cert_no),
      )
      return q.get('format') === 'xlsx' ? xlsx(res, '执法人员.xlsx', items) : send(res, 200, page(items, q))
    }
    if (p === '/subjects' && M === 'GET') {
      need(user, BUSINESS)
      const items = subjects.filter((s) => inRegion(s.region) && (!q.get('kind') || s.kind === q.get('kind')) && contains(q.get('q'), s.name, s.uscc))
      return q.get('format') === 'xlsx' ? xlsx(res, '行政相对人.xlsx', items) : send(res, 200, page(items, q))
    }
    if (p === '/subjects' && M === 'POST') {
      need(user, BUSINESS)
      const b = await readJson(req)
      for (const k of Object.keys(b)) if (!['kind', 'name', 'uscc', 'id_number', 'region'].includes(k)) throw new HttpError(400, 'unknown_field', `未知字段：${k}`, k)
      if (!b.name) throw new HttpError(422, 'invalid', '名称不能为空', 'name')
      if (!data.usccValid(b.uscc || '')) throw new HttpError(422, 'invalid', '统一社会信用代码不符合 GB 32100（校验位错误）', 'uscc')
      if (subjects.some((s) => s.uscc === b.uscc)) throw new HttpError(409, 'conflict', '该统一社会信用代码已登记', 'uscc')
      if (!data.regions.some((r) => r.code === b.region) || !b.region.startsWith(scope)) throw new HttpError(422, 'invalid', '所属区划不在管辖范围内', 'region')
      const s = { id: nextSubject++, kind: 'enterprise', name: b.name, uscc: b.uscc, id_number: null, region: b.region, region_name: data.regionName(b.region) }
      subjects.unshift(s)
      return send(res, 201, s)
    }
    if (p === '/users' && M === 'GET') {
      need(user, ['secadmin'])
      const items = users.filter((u) => contains(q.get('q'), u.username, u.display_name)).map(({ password, ...u }) => u)
      return q.get('format') === 'xlsx' ? xlsx(res, '用户.xlsx', items) : send(res, 200, page(items, q))
    }
    if (p === '/users' && M === 'POST') {
      need(user, ['secadmin'])
      const b = await readJson(req)
      if (!/^[a-z][a-z0-9_]{2,31}$/.test(b.username || '')) throw new HttpError(422, 'invalid', '用户名须为 3–32 位小写字母、数字或下划线，以字母开头', 'username')
      if (users.some((u) => u.username === b.username)) throw new HttpError(409, 'conflict', '用户名已存在', 'username')
      if (!ROLE_NAMES[b.role]) throw new HttpError(422, 'invalid', '角色无效', 'role')
      const initial = 'Fz' + crypto.randomBytes(5).toString('base64url') + '#7'
      const u = { id: nextUser++, username: b.username, password: initial, display_name: b.display_name || '', role: b.role, scope_region: b.scope_region || null, bodies: b.bodies || [], locked: false, disabled: false, must_change_password: true, last_login_at: null }
      users.push(u)
      const { password, ...view } = u
      return send(res, 201, { ...view, initial_password: initial })
    }
    let m = /^\/users\/(\d+)(\/unlock|\/reset-password)?$/.exec(p)
    if (m) {
      need(user, ['secadmin'])
      const u = users.find((x) => x.id === Number(m[1]))
      if (!u) throw new HttpError(404, 'not_found', '用户不存在')
      if (m[2] === '/unlock' && M === 'POST') {
        u.locked = false
        return send(res, 204)
      }
      if (m[2] === '/reset-password' && M === 'POST') {
        u.password = 'Fz' + crypto.randomBytes(5).toString('base64url') + '#7'
        u.must_change_password = true
        return send(res, 200, { initial_password: u.password })
      }
      if (!m[2] && M === 'PATCH') {
        const b = await readJson(req)
        if ('disabled' in b) u.disabled = !!b.disabled
        if ('display_name' in b) u.display_name = b.display_name
        const { password, ...view } = u
        return send(res, 200, view)
      }
    }
    if (p === '/audit' && M === 'GET') {
      need(user, ['auditor'])
      const from = q.get('from'), to = q.get('to')
      const day = (t) => new Date(t * 1000).toISOString().slice(0, 10)
      const items = data.audit.filter(
        (a) => contains(q.get('actor'), a.actor) && contains(q.get('action'), a.action) && (!from || day(a.time) >= from) && (!to || day(a.time) <= to),
      )
      return q.get('format') === 'xlsx' ? xlsx(res, '审计日志.xlsx', items) : send(res, 200, page(items, q))
    }
    if (p === '/audit/verify' && M === 'GET') {
      need(user, ['auditor'])
      return send(res, 200, { ok: true, checked: data.audit.length, first_bad: null, reason: null })
    }
    throw new HttpError(404, 'not_found', '接口不存在')
  }

  function serveStatic(req, res, url) {
    let rel = decodeURIComponent(url.pathname)
    let file = path.join(DIST, path.normalize(rel).replace(/^(\.\.[/\\])+/, ''))
    if (!file.startsWith(DIST) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(DIST, 'index.html')
    if (!fs.existsSync(file)) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' })
      return res.end('web/dist is missing: run `cd web && npm ci && npm run build` first\n')
    }
    res.writeHead(200, { 'Content-Type': MIME[path.extname(file)] || 'application/octet-stream' })
    fs.createReadStream(file).pipe(res)
  }

  return http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://mock')
    if (!url.pathname.startsWith('/api/')) return serveStatic(req, res, url)
    try {
      await api(req, res, url)
    } catch (err) {
      if (err instanceof HttpError) {
        const e = { code: err.code, message: err.message }
        if (err.field) e.field = err.field
        return send(res, err.status, { error: e })
      }
      console.error(err)
      send(res, 500, { error: { code: 'internal', message: '服务器内部错误' } })
    }
  })
}

export function startMockServer(port = 0, host = '127.0.0.1') {
  const server = createMockServer()
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)))
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const server = await startMockServer(Number(process.env.MOCK_PORT || 18081))
  const { port } = server.address()
  console.log(`fazhi mock API on http://127.0.0.1:${port}  (users: demo / secadmin / auditor / sysadmin, password Demo@2024; newbie / Init@1234 must change)`)
}
