// Console menu and which roles see each item (the API enforces the same
// rules; hiding only spares users pages that would answer 403).
import { markRaw } from 'vue'
import { HomeFilled, OfficeBuilding, Avatar, Briefcase, UserFilled, DocumentChecked } from '@element-plus/icons-vue'

export const BUSINESS_ROLES = ['coordinator', 'department', 'officer', 'legal_reviewer', 'evaluator']

// Order matters: a role lands on its first visible item.
export const MENU = [
  { key: 'home', path: '/home', title: '首页', icon: markRaw(HomeFilled), roles: [...BUSINESS_ROLES, 'sysadmin'] },
  { key: 'users', path: '/users', title: '用户管理', icon: markRaw(UserFilled), roles: ['secadmin'] },
  { key: 'audit', path: '/audit', title: '审计日志', icon: markRaw(DocumentChecked), roles: ['auditor'] },
  { key: 'org', path: '/org', title: '组织机构', icon: markRaw(OfficeBuilding), roles: [...BUSINESS_ROLES, 'sysadmin', 'secadmin'] },
  { key: 'people', path: '/people', title: '执法人员', icon: markRaw(Avatar), roles: BUSINESS_ROLES },
  { key: 'subjects', path: '/subjects', title: '行政相对人', icon: markRaw(Briefcase), roles: BUSINESS_ROLES },
]

export function menuFor(role) {
  return MENU.filter((m) => m.roles.includes(role))
}

export function canSee(role, key) {
  return menuFor(role).some((m) => m.key === key)
}

// Landing page of a role: its first menu item.
export function homePathFor(role) {
  return menuFor(role)[0]?.path || '/password'
}
