// Console menu and which roles see each item (the API enforces the same
// rules; hiding only spares users pages that would answer 403).
import { markRaw } from 'vue'
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
  ChatLineSquare,
  DataBoard,
  Printer,
  Notebook,
} from '@element-plus/icons-vue'

export const BUSINESS_ROLES = ['coordinator', 'department', 'officer', 'legal_reviewer', 'evaluator']
// Business roles that work with registers, tasks and bulletins (the
// evaluator only scores).
const WORK_ROLES = BUSINESS_ROLES.filter((r) => r !== 'evaluator')

// Items of a submenu carry its title and icon in `group`.
const REGISTERS = { key: 'registers', title: '登记簿', icon: markRaw(Notebook) }

// Order matters: a role lands on its first visible item.
export const MENU = [
  { key: 'home', path: '/home', title: '首页', icon: markRaw(HomeFilled), roles: [...BUSINESS_ROLES, 'sysadmin'] },
  { key: 'users', path: '/users', title: '用户管理', icon: markRaw(UserFilled), roles: ['secadmin'] },
  { key: 'audit', path: '/audit', title: '审计日志', icon: markRaw(DocumentChecked), roles: ['auditor'] },
  { key: 'evaluation', path: '/evaluation', title: '示范创建', icon: markRaw(TrendCharts), roles: BUSINESS_ROLES },
  { key: 'scoring', path: '/scoring', title: '人工评分', icon: markRaw(EditPen), roles: BUSINESS_ROLES },
  { key: 'tasks', path: '/tasks', title: '任务分解与进度', icon: markRaw(DataBoard), roles: WORK_ROLES },
  { key: 'rectification', path: '/registers/rectification', title: '整改台账', icon: markRaw(Tickets), roles: WORK_ROLES, group: REGISTERS },
  { key: 'proposal', path: '/registers/proposal', title: '建议提案', icon: markRaw(ChatLineSquare), roles: WORK_ROLES, group: REGISTERS },
  { key: 'bulletin', path: '/bulletin', title: '通报', icon: markRaw(Printer), roles: WORK_ROLES },
  { key: 'org', path: '/org', title: '组织机构', icon: markRaw(OfficeBuilding), roles: [...BUSINESS_ROLES, 'sysadmin', 'secadmin'] },
  { key: 'people', path: '/people', title: '执法人员', icon: markRaw(Avatar), roles: BUSINESS_ROLES },
  { key: 'subjects', path: '/subjects', title: '行政相对人', icon: markRaw(Briefcase), roles: BUSINESS_ROLES },
]

export function menuFor(role) {
  return MENU.filter((m) => m.roles.includes(role))
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

export function canSee(role, key) {
  return menuFor(role).some((m) => m.key === key)
}

// Landing page of a role: its first menu item.
export function homePathFor(role) {
  return menuFor(role)[0]?.path || '/password'
}
