// State and loading of one paged API list ({"items":[…],"total":N}).
import { reactive, ref } from 'vue'
import { ElMessage } from 'element-plus'
import { api, downloadXlsx } from './api.js'

// path: API path ('/people'); filters: initial filter values (reactive copy
// is returned); fixed(): extra query parameters computed at load time.
export function useList(path, filters = {}, { limit = 20, fixed = () => ({}), exportName = 'export.xlsx' } = {}) {
  const query = reactive({ ...filters })
  const items = ref([])
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(limit)
  const loading = ref(false)
  const exporting = ref(false)
  let seq = 0

  const params = () => ({ ...fixed(), ...query })

  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const data = await api.get(path, { ...params(), page: page.value, limit: pageSize.value })
      if (mine !== seq) return
      items.value = data?.items || []
      total.value = data?.total ?? items.value.length
    } catch (err) {
      if (mine !== seq) return
      items.value = []
      total.value = 0
      ElMessage.error(err.message)
    } finally {
      if (mine === seq) loading.value = false
    }
  }

  function search() {
    page.value = 1
    return load()
  }

  function reset() {
    Object.assign(query, filters)
    return search()
  }

  async function exportXlsx() {
    exporting.value = true
    try {
      const name = await downloadXlsx(path, params(), typeof exportName === 'function' ? exportName() : exportName)
      ElMessage.success(`已导出：${name}`)
    } catch (err) {
      ElMessage.error(err.message)
    } finally {
      exporting.value = false
    }
  }

  return { query, items, total, page, pageSize, loading, exporting, load, search, reset, exportXlsx }
}
