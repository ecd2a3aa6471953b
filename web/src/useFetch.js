// One GET shown by a page: its answer, the loading flag and the error
// message (the server's, in Chinese). load() runs fetcher() again.
import { ref } from 'vue'

export function useFetch(fetcher) {
  const data = ref(null)
  const loading = ref(false)
  const error = ref('')

  async function load() {
    loading.value = true
    error.value = ''
    try {
      data.value = await fetcher()
    } catch (err) {
      error.value = err.message
    } finally {
      loading.value = false
    }
  }

  return { data, loading, error, load }
}
