// Shared state and helpers of the evaluation pages (示范创建, 人工评分,
// 任务分解, 通报): the chosen indicator system, year and region survive
// switching between these pages.
import { reactive } from 'vue'
import { api } from './api.js'
import { session, today } from './session.js'
import { may } from './menu.js'

export const lastYear = () => String(Number(today().slice(0, 4)) - 1)

export const evalState = reactive({
  system: '', // '' until GET /indicator-systems answered
  period: lastYear(),
  region: '',
  systems: [],
})

let systemsLoading = null

// Fills the defaults: the first indicator system, the user's scope region.
export function ensureEvalDefaults() {
  if (!evalState.region) evalState.region = session.user?.scope_region || ''
  if (!systemsLoading) {
    systemsLoading = api.get('/indicator-systems', { limit: 200 }).then(
      (d) => {
        evalState.systems = d?.items || []
        if (!evalState.system && evalState.systems.length) evalState.system = evalState.systems[0].id
      },
      (err) => {
        systemsLoading = null
        throw err
      },
    )
  }
  return systemsLoading
}

// Status of one indicator row of GET /evaluation.
const STATUS = {
  ok: { label: '达标', type: 'success' },
  below: { label: '未达标', type: 'danger' },
  na: { label: '不适用', type: 'info' },
  manual: { label: '人工', type: 'primary' },
  pending: { label: '待评分', type: 'warning' },
  error: { label: '错误', type: 'danger' },
}
// A group shows 未达标 when a leaf below it is below target, else 待评分
// while a manual leaf below it waits for its score (the API marks a group
// below as soon as it lost points, pending scores included).
export function statusOf(row) {
  let key = row.status === 'manual' && row.pending ? 'pending' : row.status
  if (row.kind === 'group' && row.leafBelow === false && row.leafPending) key = 'pending'
  return { key, ...(STATUS[key] || { label: row.status, type: 'info' }) }
}

export const KIND_LABELS = { group: '分组', auto: '计算', manual: '人工', bonus: '加分', penalty: '减分', veto: '一票否决' }

export const isRatio = (row) => /^\s*ratio\s*\(/.test(row?.formula || '')

// A computed value: ratios as a percentage with 2 decimals.
export function formatValue(row) {
  if (row?.value === null || row?.value === undefined) return '—'
  return isRatio(row) ? `${(row.value * 100).toFixed(2)}%` : fmt(row.value)
}

// Points: integers as they are, others with 2 decimals.
export function fmt(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return '—'
  return String(parseFloat(Number(n).toFixed(2)))
}

// Flat indicator list (with parent ids) → tree rows with children.
export function buildTree(items) {
  const byId = new Map(items.map((it) => [it.id, { ...it }]))
  const roots = []
  for (const it of byId.values()) {
    const parent = it.parent && byId.get(it.parent)
    if (parent) (parent.children ||= []).push(it)
    else roots.push(it)
  }
  // Groups learn whether a leaf below them is below target or pending.
  const mark = (it) => {
    if (!it.children) return { below: it.status === 'below', pending: !!it.pending }
    let below = false
    let pending = false
    for (const c of it.children) {
      const m = mark(c)
      below ||= m.below
      pending ||= m.pending
    }
    it.leafBelow = below
    it.leafPending = pending
    return { below, pending }
  }
  roots.forEach(mark)
  return roots
}

// Indicators an evaluator scores: manual ones and bonus/penalty leaves
// without a formula.
export function scorable(items) {
  const parents = new Set(items.map((it) => it.parent).filter(Boolean))
  return items.filter(
    (it) => it.kind === 'manual' || (['bonus', 'penalty', 'veto'].includes(it.kind) && !it.formula && !parents.has(it.id)),
  )
}

// Deadline status of a record or an assignment (derived by the server).
const DEADLINE_TAGS = {
  none: 'info',
  on_time: 'primary',
  due_soon: 'warning',
  overdue: 'danger',
  closed_on_time: 'success',
  closed_late: 'warning',
}
export const deadlineTag = (s) => DEADLINE_TAGS[s] || 'info'

export { today }

export function addDays(date, days) {
  const d = new Date(`${date}T00:00:00`)
  d.setDate(d.getDate() + days)
  const p = (n) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`
}

// Whether the signed-in user's role holds the permission (GET /meta).
export const can = (perm) => may(session.user?.role, perm)
