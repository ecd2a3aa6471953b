// Helpers of the register pages (definitions from GET /registers/{reg}).
import { api } from './api.js'

const cache = new Map()

export function loadDefinition(reg) {
  if (!cache.has(reg)) {
    const p = api.get(`/registers/${encodeURIComponent(reg)}`)
    p.catch(() => cache.delete(reg))
    cache.set(reg, p)
  }
  return cache.get(reg)
}

// Fields filled in when a record is created: the required ones and those no
// transition asks for (the others belong to later steps, e.g. 答复意见).
export function createFields(def) {
  const later = new Set((def?.transitions || []).flatMap((t) => t.require || []))
  return (def?.fields || []).filter((f) => f.required || !later.has(f.name))
}

// May a user of this role give the field when creating a record? The
// field's write rule (definition fields[].write; the server enforces it,
// this only hides what would be refused): roles, and "create".
export function mayCreateField(f, role) {
  const w = f?.write
  if (!w) return true
  return w.create !== false && (!w.roles?.length || w.roles.includes(role))
}

// Short fields worth a list column: subjects, choices and short strings.
export function listFields(def) {
  return (def?.fields || []).filter(
    (f) =>
      f.name !== def.title_field &&
      (f.type === 'subject' || f.type === 'enum' || (f.type === 'string' && (f.max || 0) <= 32)),
  )
}

// A field's value as shown: a subject by the text the API gives beside
// its id (record.labels), else the stored value.
export const fieldText = (rec, f) => rec?.labels?.[f.name] ?? rec?.data?.[f.name] ?? ''

// The choice fields the definition offers as list filters ("filters"),
// and their query parameters (?f.<field>=<choice>).
export const filterFields = (def) => (def?.filters || []).map((n) => fieldByName(def, n)).filter(Boolean)
export const filterKey = (f) => `f.${f.name}`

export const fieldByName = (def, name) => (def?.fields || []).find((f) => f.name === name)

// Field values to send: empty ones left out, ints as numbers.
export function cleanData(def, values, names) {
  const out = {}
  for (const n of names) {
    const v = values[n]
    if (v === '' || v === null || v === undefined) continue
    out[n] = fieldByName(def, n)?.type === 'int' ? Number(v) : v
  }
  return out
}

export const stateLabel = (def, s) => (def?.states || []).find((x) => x.name === s)?.label || s || ''
