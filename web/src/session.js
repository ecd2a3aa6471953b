// The signed-in user, shared by the router guard, the shell and the pages.
import { reactive } from 'vue'
import { api, setCsrfToken } from './api.js'
import { resetConsole } from './menu.js'

export const session = reactive({
  user: null, // GET /api/v1/me "user" object
  checked: false, // GET /me has been tried once since page load
})

// Today in China (YYYY-MM-DD): the server's date from GET /me (src/core/
// cntime.c), the browser's own only before sign-in.
export function today() {
  if (session.user?.today) return session.user.today
  const d = new Date()
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

function accept(data) {
  session.user = data?.user || null
  setCsrfToken(data?.csrf_token)
  session.checked = true
  return session.user
}

export function clearSession() {
  session.user = null
  setCsrfToken('')
  resetConsole()
}

export async function loadMe() {
  try {
    return accept(await api.get('/me', undefined, { quiet: true }))
  } catch (err) {
    session.checked = true
    if (err.status === 401) {
      clearSession()
      return null
    }
    throw err
  }
}

// totp: the authenticator's 6-digit code or a recovery code, when the
// account needs one (the server answers 401 totp_required without it).
export async function login(username, password, totp) {
  const body = totp ? { username, password, totp } : { username, password }
  return accept(await api.post('/session', body, { quiet: true }))
}

export async function logout() {
  try {
    await api.del('/session', { quiet: true })
  } finally {
    clearSession()
  }
}

export async function changePassword(oldPassword, newPassword) {
  await api.post('/me/password', { old_password: oldPassword, new_password: newPassword }, { quiet: true })
}
