// Chinese labels for the API's codes (docs/api.md): the value lists come
// from GET /api/v1/meta (applyMeta), the audit codes are the console's own.
import { reactive } from 'vue'
import { today } from './session.js'

export const labels = reactive({
  // From GET /api/v1/meta (src/core/roles.c, src/core/vocab.c), filled by
  // applyMeta once signed in.
  roles: {},
  bodyKinds: {},
  certStatuses: {},
  subjectKinds: {},
  assignmentRoles: {},
  noticeKinds: {}, // 交办, 退回, 催办 … (站内通知)
  urgeKinds: {}, // 催办单, 督办单
  creditGrades: {}, // 信用风险分类 A–D
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
    joint_offer: '提议合并为联合检查',
    joint_accept: '接受联合检查',
    joint_decline: '不接受联合检查',
    joint_leave: '退出联合检查提议',
    joint_merge: '合并为联合检查',
    recompute: '重新计算期限',
    delete: '删除',
    write: '写入',
    score: '评分',
    upload: '上传',
    attach: '上传印证材料',
    attach_replace: '替换印证材料',
    attach_withdraw: '撤回印证材料',
    publish: '公示处罚决定',
    withdraw_publication: '撤回公示',
    link_remedy: '关联整改事项',
    catalog_published: '所列目录已公布',
    download: '下载',
    migrate: '迁移',
    access: '访问',
    activate: '启用',
    rebuild: '重算',
    rotate_key: '轮换密钥',
    totp_enable: '启用动态验证码',
    totp_disable: '关闭动态验证码',
    totp_enrol: '登记动态验证码',
    checkpoint: '签名检查点',
    urge: '催办/督办',
    read: '标为已读',
    test: '测试推送',
    issue: '印发',
    qr_make: '签发入企码',
    qr_card: '打印入企码',
    scan: '扫码查看入企码',
    confirm: '企业扫码确认入企',
    rate: '企业扫码评价',
    complain: '企业扫码投诉',
    refer: '转交督办',
  },
  auditEntities: {
    user: '用户',
    subject: '行政相对人',
    person: '人员',
    body: '机构',
    region: '行政区划',
    org: '组织机构',
    audit_log: '审计日志',
    setting: '设置',
    store: '数据库',
    route: '接口',
    assignment: '分解任务',
    joint_merge: '联合检查提议',
    evaluation: '测评结果',
    indicator_system: '指标体系',
    discretion_benchmark: '裁量基准',
    indicator: '指标评分',
    evidence: '印证材料',
    metrics: '指标计数器',
    calendar: '节假日日历',
    law: '法律法规库',
    audit_checkpoints: '审计检查点',
    webhook: '消息推送',
    notification: '站内通知',
    bulletin: '通报',
    training: '执法人员培训',
    inspection_rule: '检查频次规则',
  },
})

// Labels of GET /meta: roles [{name,label}…], value lists {code: label}.
export function applyMeta(meta) {
  labels.roles = Object.fromEntries((meta?.roles || []).map((r) => [r.name, r.label]))
  labels.bodyKinds = meta?.body_kinds || {}
  labels.certStatuses = { ...(meta?.cert_statuses || {}), expired: '过期' } // expired: by date, not stored
  labels.subjectKinds = meta?.subject_kinds || {}
  labels.assignmentRoles = meta?.assignment_roles || {}
  labels.noticeKinds = meta?.notice_kinds || {}
  labels.urgeKinds = meta?.urge_kinds || {}
  labels.creditGrades = meta?.credit_grades || {}
}

export const roleLabel = (r) => labels.roles[r] || r || ''
export const bodyKindLabel = (k) => labels.bodyKinds[k] || k || ''
export const subjectKindLabel = (k) => labels.subjectKinds[k] || k || ''
export const auditActionLabel = (a) => labels.auditActions[a] || a || ''
export const auditEntityLabel = (e) => labels.auditEntities[e] || e || ''
export const urgeKindLabel = (k) => labels.urgeKinds[k] || k || ''

// An audit entry's result ("ok", "failed", "refused: …").
const RESULT_LABELS = { ok: '成功', success: '成功', failed: '失败', forbidden: '拒绝', denied: '拒绝' }
export const isOkResult = (r) => r === 'ok' || r === 'success'
export const resultLabel = (r) => RESULT_LABELS[r] || (String(r).startsWith('refused') ? '拒绝' : r)

const BODY_KIND_TAGS = { government: 'danger', department: 'primary', township: 'success', enforcement: 'warning' }
export const bodyKindTag = (k) => BODY_KIND_TAGS[k] || 'info'

const CERT_TAGS = { active: 'success', suspended: 'warning', revoked: 'danger', cancelled: 'info', expired: 'info' }


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
// A time in China time (UTC+8), whatever the browser's zone; a missing
// time (null, 0: never an epoch) is "—".
export function formatTime(v) {
  if (v === null || v === undefined || v === '' || v === 0 || v === '0') return '—'
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(v)) return v.replace('T', ' ')
  let d
  if (typeof v === 'number') d = new Date(v < 1e12 ? v * 1000 : v)
  else if (/^\d+$/.test(v)) d = new Date(Number(v) * 1000)
  else d = new Date(v)
  if (Number.isNaN(d.getTime())) return String(v)
  const cn = new Date(d.getTime() + 8 * 3600 * 1000)
  const p = (n) => String(n).padStart(2, '0')
  return `${cn.getUTCFullYear()}-${p(cn.getUTCMonth() + 1)}-${p(cn.getUTCDate())} ${p(cn.getUTCHours())}:${p(cn.getUTCMinutes())}:${p(cn.getUTCSeconds())}`
}

// 分 as 元: whole 元 without decimals, 1 万元 and more in 万元.
export function yuan(fen) {
  if (fen >= 1000000 && fen % 100000 === 0) return `${fen / 1000000} 万元`
  return fen % 100 === 0 ? `${fen / 100} 元` : `${(fen / 100).toFixed(2)} 元`
}
