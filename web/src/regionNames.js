// Region code → name, fetched once per code (GET /api/v1/regions/{code}),
// for lists that carry only codes (users' scope_region).
import { reactive } from 'vue'
import { api } from './api.js'

const names = reactive({})
const pending = new Set()

export function regionName(code) {
  if (!code) return ''
  if (!(code in names) && !pending.has(code)) {
    pending.add(code)
    api.get(`/regions/${encodeURIComponent(code)}`, undefined, { quiet: true }).then(
      (r) => (names[code] = r?.name || r?.region?.name || code),
      () => (names[code] = code),
    )
  }
  return names[code] || code
}
