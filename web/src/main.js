import { createApp } from 'vue'
import ElementPlus from 'element-plus'
import zhCn from 'element-plus/es/locale/lang/zh-cn.mjs'
import 'element-plus/dist/index.css'
import './styles.css'
import App from './App.vue'
import { router } from './router.js'
import { onAuthProblem } from './api.js'
import { session, clearSession } from './session.js'

// A request that finds the session gone (or a password change pending)
// sends the user back to the right page.
onAuthProblem((code) => {
  if (code === 'password_change_required') {
    if (session.user) session.user.must_change_password = true
    router.replace({ name: 'password' })
    return
  }
  clearSession()
  const current = router.currentRoute.value
  if (current.name !== 'login') {
    router.replace({ name: 'login', query: { redirect: current.fullPath, expired: '1' } })
  }
})

createApp(App).use(ElementPlus, { locale: zhCn }).use(router).mount('#app')
