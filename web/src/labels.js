// Chinese labels for the API's codes (docs/api.md). GET /api/v1/meta may
// override them at start-up (see applyMeta).
import { reactive } from 'vue'
import { api } from './api.js'

export const labels = reactive({
  roles: {
    coordinator: '依法治市办协调员',
    department: '责任单位',
    officer: '执法人员',
    legal_reviewer: '法制审核人员',
    evaluator: '评估专家',
    sysadmin: '系统管理员',
    secadmin: '安全管理员',
    auditor: '审计管理员',
  },
  bodyKinds: {
    government: '政府',
    department: '部门',
    township: '乡镇街道',
    enforcement: '执法机构',
  },
  certStatuses: {
    active: '有效',
    suspended: '暂停',
    revoked: '吊销',
    expired: '过期',
  },
  subjectKinds: {
    enterprise: '企业',
    person: '自然人',
  },
  // Audit log codes as the server writes them (src/api, src/core).
  auditActions: {
    login: '登录',
    logout: '退出登录',
    create: '新增',
    update: '修改',
    lock: '锁定',
    unlock: '解锁',
    password_change: '修改密码',
    password_reset: '重置密码',
    read_pii: '查看个人信息',
    export: '导出',
    import: '导入',
    verify: '校验哈希链',
    backup: '备份',
    demo: '生成演示数据',
    transition: '办理',
    delete: '删除',
    write: '写入',
    score: '评分',
    upload: '上传',
  },
  auditEntities: {
    user: '用户',
    subject: '行政相对人',
    person: '人员',
    body: '机构',
    region: '行政区划',
    org: '组织机构',
    audit_log: '审计日志',
    setting: '安全设置',
    store: '数据库',
  },
})

// Accepts either {code: label} maps or arrays of {name, label} /
// {code|value|key, name|label} objects.
function toMap(x) {
  if (!x) return null
  if (Array.isArray(x)) {
    const m = {}
    for (const it of x) {
      // {name, label} (GET /meta roles) or {code|value|key, name|label}
      const v = it?.label ?? it?.name
      const k = it?.code ?? it?.value ?? it?.key ?? (it?.label !== undefined ? it?.name : undefined) ?? it?.id
      if (k != null && typeof v === 'string') m[k] = v
    }
    return Object.keys(m).length ? m : null
  }
  if (typeof x === 'object') {
    const m = {}
    for (const [k, v] of Object.entries(x)) if (typeof v === 'string') m[k] = v
    return Object.keys(m).length ? m : null
  }
  return null
}

export function applyMeta(meta) {
  if (!meta || typeof meta !== 'object') return
  const pairs = [
    ['roles', meta.roles ?? meta.role_names],
    ['bodyKinds', meta.body_kinds ?? meta.bodyKinds],
    ['certStatuses', meta.cert_statuses ?? meta.certificate_statuses],
    ['subjectKinds', meta.subject_kinds],
  ]
  for (const [key, raw] of pairs) {
    const m = toMap(raw)
    if (m) Object.assign(labels[key], m)
  }
}

let metaLoaded = false
// Called once signed in (GET /meta needs a session); failures keep the
// built-in labels.
export function loadMeta() {
  if (metaLoaded) return
  metaLoaded = true
  api.get('/meta', undefined, { quiet: true }).then(applyMeta, () => (metaLoaded = false))
}

export const roleLabel = (r) => labels.roles[r] || r || ''
export const bodyKindLabel = (k) => labels.bodyKinds[k] || k || ''
export const subjectKindLabel = (k) => labels.subjectKinds[k] || k || ''
export const auditActionLabel = (a) => labels.auditActions[a] || a || ''
export const auditEntityLabel = (e) => labels.auditEntities[e] || e || ''

const BODY_KIND_TAGS = { government: 'danger', department: 'primary', township: 'success', enforcement: 'warning' }
export const bodyKindTag = (k) => BODY_KIND_TAGS[k] || 'info'

const CERT_TAGS = { active: 'success', suspended: 'warning', revoked: 'danger', expired: 'info' }

function today() {
  const d = new Date()
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

// Certificate state of a person row: null when the person holds none.
// An "active" certificate past its validity (cert_valid false or
// cert_valid_until before today) shows as 过期.
export function certState(row) {
  if (!row || (!row.cert_status && !row.cert_no)) return null
  let s = row.cert_status || 'active'
  if (s === 'active') {
    const past = row.cert_valid_until && row.cert_valid_until < today()
    if (row.cert_valid === false || past) s = 'expired'
  }
  return { code: s, label: labels.certStatuses[s] || s, type: CERT_TAGS[s] || 'info' }
}

// Times come as Unix seconds or as strings; show "YYYY-MM-DD HH:mm:ss".
export function formatTime(v) {
  if (v === null || v === undefined || v === '') return ''
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(v)) return v.replace('T', ' ')
  let d
  if (typeof v === 'number') d = new Date(v < 1e12 ? v * 1000 : v)
  else if (/^\d+$/.test(v)) d = new Date(Number(v) * 1000)
  else d = new Date(v)
  if (Number.isNaN(d.getTime())) return String(v)
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}
