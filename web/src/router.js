import { createRouter, createWebHashHistory } from 'vue-router'
import { session, loadMe } from './session.js'
import { PAGE_PERMS, consoleData, homePathFor, loadConsole, may, pageTitle } from './menu.js'
import ConsoleLayout from './layout/ConsoleLayout.vue'

const page = (key, path, title, component) => ({ path, name: key, component, meta: { title, perm: PAGE_PERMS[key] } })

const routes = [
  { path: '/login', name: 'login', component: () => import('./views/LoginView.vue'), meta: { public: true, title: '登录' } },
  // 行政处罚决定公示: open to anyone, signed in or not.
  {
    path: '/public/penalties',
    name: 'public-penalties',
    component: () => import('./views/PublicPenaltiesView.vue'),
    meta: { public: true, anyone: true, title: '行政处罚决定公示' },
  },
  // “双随机、一公开”: the draws and their results, open to anyone.
  {
    path: '/public/draws',
    name: 'public-draws',
    component: () => import('./views/PublicDrawsView.vue'),
    meta: { public: true, anyone: true, title: '双随机抽查结果公示' },
  },
  // 依申请公开: filing a request and reading its status, without an account.
  {
    path: '/public/info-requests',
    name: 'public-info-requests',
    component: () => import('./views/PublicInfoRequestView.vue'),
    meta: { public: true, anyone: true, title: '政府信息公开申请' },
  },
  // 法律法规统一公开查询: the law library's search and one law, open to anyone.
  {
    path: '/public/laws',
    name: 'public-laws',
    component: () => import('./views/PublicLawsView.vue'),
    meta: { public: true, anyone: true, title: '法律法规查询' },
  },
  {
    path: '/public/laws/:id(\\d+)',
    name: 'public-law',
    component: () => import('./views/PublicLawView.vue'),
    meta: { public: true, anyone: true, title: '法律法规' },
  },
  { path: '/password', name: 'password', component: () => import('./views/ChangePasswordView.vue'), meta: { title: '修改密码' } },
  {
    path: '/',
    component: ConsoleLayout,
    children: [
      // Resolved by the guard below to the user's landing page.
      { path: '', name: 'root', component: { render: () => null } },
      page('home', 'home', '首页', () => import('./views/HomeView.vue')),
      page('org', 'org', '组织机构', () => import('./views/OrgView.vue')),
      page('people', 'people', '执法人员', () => import('./views/PeopleView.vue')),
      page('subjects', 'subjects', '行政相对人', () => import('./views/SubjectsView.vue')),
      page('users', 'users', '用户管理', () => import('./views/UsersView.vue')),
      page('audit', 'audit', '审计日志', () => import('./views/AuditView.vue')),
      page('evaluation', 'evaluation', '示范创建', () => import('./views/EvaluationView.vue')),
      page('scoring', 'scoring', '人工评分', () => import('./views/ScoringView.vue')),
      page('tasks', 'tasks', '任务分解与进度', () => import('./views/TasksView.vue')),
      // Every register of GET /registers: its own page if views/registers/<name>.vue exists.
      {
        path: 'registers/:reg',
        name: 'register',
        component: () => import('./views/RegisterPage.vue'),
        props: true,
        meta: { title: '工作台账', perm: 'record.read' },
      },
      page('benchmarks', 'benchmarks', '裁量基准', () => import('./views/BenchmarksView.vue')),
      page('case-reviews', 'case-reviews', '案卷评查', () => import('./views/CaseReviewsView.vue')),
      page('draws', 'draws', '双随机抽查', () => import('./views/DrawsView.vue')),
      page('bulletin', 'bulletin', '通报', () => import('./views/BulletinView.vue')),
      page('system', 'system', '系统状态', () => import('./views/SystemView.vue')),
      page('settings', 'settings', '系统设置', () => import('./views/SettingsView.vue')),
      page('webhooks', 'webhooks', '消息推送', () => import('./views/WebhooksView.vue')),
      { ...page('security-settings', 'security-settings', '安全设置', () => import('./views/SettingsView.vue')), props: { security: true } },
      // Every signed-in user: the 站内通知 (no menu item; the top bar's bell links it).
      { path: 'notifications', name: 'notifications', component: () => import('./views/NotificationsView.vue'), meta: { title: '站内通知' } },
      // Every signed-in user: enrol an authenticator app (no menu item; the top bar links it).
      { path: 'totp', name: 'totp', component: () => import('./views/TotpView.vue'), meta: { title: '动态验证码' } },
    ],
  },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

export const router = createRouter({ history: createWebHashHistory(), routes })

router.beforeEach(async (to) => {
  if (!session.checked) {
    try {
      await loadMe()
    } catch {
      /* server unreachable: treat as signed out, the login page says more */
    }
  }
  const user = session.user
  if (to.meta.anyone) return true
  if (to.meta.public) {
    return user && !user.must_change_password ? { name: 'root' } : true
  }
  if (!user) {
    return { name: 'login', query: to.name !== 'root' ? { redirect: to.fullPath } : {} }
  }
  if (user.must_change_password && to.name !== 'password') return { name: 'password' }
  try {
    await loadConsole(user.role)
  } catch {
    /* the menu stays empty and the landing page is the password page */
  }
  if (to.name === 'root') return homePathFor(user.role)
  if (to.meta.perm && !may(user.role, to.meta.perm)) return homePathFor(user.role)
  if (to.name === 'register' && !consoleData.registers.some((r) => r.name === to.params.reg)) return homePathFor(user.role)
  return true
})

router.afterEach((to) => {
  const title = pageTitle(to)
  document.title = title ? `${title} - 法治政府建设管理平台` : '法治政府建设管理平台'
})
