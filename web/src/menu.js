// The console's menu, built from the server: each page names the one
// permission it needs, and a role's permissions come from GET /api/v1/meta
// (the role matrix of src/core/roles.c — no copy here); the 工作台账 group
// lists the registers of GET /api/v1/registers, so a register added on the
// server appears without a change here. The API enforces the same rules;
// hiding only spares users pages that would answer 403.
import { markRaw, reactive } from 'vue'
import {
  HomeFilled,
  OfficeBuilding,
  Avatar,
  Briefcase,
  UserFilled,
  DocumentChecked,
  TrendCharts,
  EditPen,
  Tickets,
  DataBoard,
  Printer,
  Notebook,
  Monitor,
  Setting,
  Promotion,
  Lock,
  Reading,
  Finished,
  Aim,
} from '@element-plus/icons-vue'
import { api } from './api.js'
import { applyMeta } from './labels.js'

// What the server said: role → permissions, the business roles, the registers.
export const consoleData = reactive({ loaded: false, perms: {}, businessRoles: [], registers: [] })

// Items of a submenu carry its title and icon in `group`.
const REGISTERS = { key: 'registers', title: '工作台账', icon: markRaw(Notebook) }

// Order matters: a role lands on its first visible item. `registers`
// marks where the register items go.
const PAGES = [
  { key: 'home', path: '/home', title: '首页', icon: markRaw(HomeFilled), perm: 'org.read' },
  { key: 'users', path: '/users', title: '用户管理', icon: markRaw(UserFilled), perm: 'user.admin' },
  { key: 'audit', path: '/audit', title: '审计日志', icon: markRaw(DocumentChecked), perm: 'audit.read' },
  { key: 'evaluation', path: '/evaluation', title: '示范创建', icon: markRaw(TrendCharts), perm: 'eval.read' },
  { key: 'scoring', path: '/scoring', title: '人工评分', icon: markRaw(EditPen), perm: 'eval.read' },
  { key: 'tasks', path: '/tasks', title: '任务分解与进度', icon: markRaw(DataBoard), perm: 'eval.read' },
  { registers: true },
  { key: 'benchmarks', path: '/benchmarks', title: '裁量基准', icon: markRaw(Reading), perm: 'record.read' },
  { key: 'case-reviews', path: '/case-reviews', title: '案卷评查', icon: markRaw(Finished), perm: 'eval.read' },
  { key: 'draws', path: '/draws', title: '双随机抽查', icon: markRaw(Aim), perm: 'record.read' },
  { key: 'bulletin', path: '/bulletin', title: '通报', icon: markRaw(Printer), perm: 'eval.read' },
  { key: 'org', path: '/org', title: '组织机构', icon: markRaw(OfficeBuilding), perm: 'org.read' },
  { key: 'people', path: '/people', title: '执法人员', icon: markRaw(Avatar), perm: 'org.read' },
  { key: 'subjects', path: '/subjects', title: '行政相对人', icon: markRaw(Briefcase), perm: 'subject.read' },
  { key: 'system', path: '/system', title: '系统状态', icon: markRaw(Monitor), perm: 'system' },
  { key: 'settings', path: '/settings', title: '系统设置', icon: markRaw(Setting), perm: 'system' },
  { key: 'webhooks', path: '/webhooks', title: '消息推送', icon: markRaw(Promotion), perm: 'system' },
  { key: 'security-settings', path: '/security-settings', title: '安全设置', icon: markRaw(Lock), perm: 'security' },
]

// The static pages' permissions, for the router guard.
export const PAGE_PERMS = Object.fromEntries(PAGES.filter((p) => p.key).map((p) => [p.key, p.perm]))

export const registerPath = (name) => `/registers/${encodeURIComponent(name)}`

function registerItems() {
  return consoleData.registers.map((r) => ({
    key: r.name,
    path: registerPath(r.name),
    title: r.label,
    icon: markRaw(Tickets),
    perm: 'record.read',
    group: REGISTERS,
  }))
}

// The register that receives the evaluation's gaps (its definition's
// "receives_gaps"), or undefined.
export const gapRegister = () => consoleData.registers.find((r) => r.receives_gaps)

export function may(role, perm) {
  return !!perm && (consoleData.perms[role] || []).includes(perm)
}

export function menuFor(role) {
  return PAGES.flatMap((p) => (p.registers ? registerItems() : [p])).filter((m) => may(role, m.perm))
}

// The menu as shown: plain items, and submenus {key, title, icon, children}
// where consecutive items share a group.
export function menuTree(role) {
  const out = []
  for (const m of menuFor(role)) {
    if (!m.group) {
      out.push(m)
      continue
    }
    const last = out[out.length - 1]
    if (last?.children && last.key === m.group.key) last.children.push(m)
    else out.push({ ...m.group, children: [m] })
  }
  return out
}

// A page's title: a register's label, else the route's own.
export function pageTitle(route) {
  if (route.name === 'register') return consoleData.registers.find((r) => r.name === route.params.reg)?.label
  return route.meta.title
}

export function canSee(role, key) {
  return menuFor(role).some((m) => m.key === key)
}

// Landing page of a role: its first menu item.
export function homePathFor(role) {
  return menuFor(role)[0]?.path || '/password'
}

let loading = null
// Once signed in: the role matrix and labels (GET /meta), then the
// registers when the role reads them. A failure is retried next time.
export function loadConsole(role) {
  if (consoleData.loaded) return Promise.resolve()
  if (!loading) {
    loading = (async () => {
      const meta = await api.get('/meta', undefined, { quiet: true })
      applyMeta(meta)
      consoleData.perms = Object.fromEntries((meta.roles || []).map((r) => [r.name, r.permissions || []]))
      consoleData.businessRoles = (meta.roles || []).filter((r) => !r.admin).map((r) => r.name)
      if (may(role, 'record.read')) consoleData.registers = (await api.get('/registers', undefined, { quiet: true })).items || []
      consoleData.loaded = true
    })().finally(() => (loading = null))
  }
  return loading
}

// After logout another role may sign in.
export function resetConsole() {
  Object.assign(consoleData, { loaded: false, perms: {}, businessRoles: [], registers: [] })
}
