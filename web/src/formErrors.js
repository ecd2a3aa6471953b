// A form's errors and its submission: a 422/409 naming a known field goes
// under that field; anything else becomes the form's general message.
// submit(action) runs one request with the busy flag and the errors shown,
// and resolves true when it succeeded.
import { reactive, ref } from 'vue'

export function useFormErrors(fields) {
  const errors = reactive(Object.fromEntries(fields.map((f) => [f, ''])))
  const general = ref('')
  const busy = ref(false)

  function clear() {
    for (const f of fields) errors[f] = ''
    general.value = ''
  }

  function show(err) {
    clear()
    // Field names may come dotted ("subject.uscc"); match the last part.
    const f = err?.field ? String(err.field).split('.').pop() : ''
    if (f && f in errors) errors[f] = err.message
    else general.value = err?.message || '操作失败'
  }

  async function submit(action) {
    busy.value = true
    try {
      await action()
      return true
    } catch (err) {
      show(err)
      return false
    } finally {
      busy.value = false
    }
  }

  return { errors, general, busy, clear, show, submit }
}
