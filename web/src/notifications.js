// The signed-in user's 站内通知 (GET /api/v1/notifications, made by the
// server's notification pass) and where an item opens: the unread count
// shared by the top bar's bell and the notifications page, marking read,
// and the route of a register record or a task — used by the 待办 list too.
import { reactive } from 'vue'
import { api } from './api.js'
import { registerPath } from './menu.js'

export const inbox = reactive({ unread: 0 })

// The latest `limit` notifications (unreadOnly: the unread ones) with the
// count; the count is kept for the bell.
export async function loadNotifications({ limit = 20, page = 1, unreadOnly = false } = {}) {
  const d = await api.get('/notifications', { limit, page, unread: unreadOnly }, { quiet: true })
  inbox.unread = d?.unread ?? 0
  return d
}

// Refreshes the count; a failure (signed out, offline) leaves it as it was.
export function refreshUnread() {
  return loadNotifications({ limit: 1 }).catch(() => {})
}

// Marks ids (at most 25, the server's limit) or all read; keeps the count.
export async function markRead(ids) {
  const d = await api.post('/notifications/read', ids === 'all' ? { all: true } : { ids })
  inbox.unread = d?.unread ?? 0
}

// Where an item opens: a register record in its register's drawer
// (?open=ID), a task on the tasks page (?task=ID).
export function itemRoute(register, id) {
  if (register) return { path: registerPath(register), query: { open: String(id) } }
  return { path: '/tasks', query: { task: String(id) } }
}

// Opens a notification's item, marking it read first when it is unread.
export async function openNotification(router, n) {
  if (!n.read) {
    await markRead([n.id]).catch(() => {})
    n.read = true
  }
  return router.push(itemRoute(n.register, n.entity_id))
}

// A notification kind's tag colour (its label comes with it).
const KIND_TAGS = { returned: 'danger', urge: 'danger', overdue: 'danger', due_soon: 'warning', review: 'primary', assigned: 'primary', decided: 'success' }
export const kindTag = (k) => KIND_TAGS[k] || 'info'
