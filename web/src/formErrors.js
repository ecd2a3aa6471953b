// Shows an ApiError on a form: a 422/409 naming a known field goes under
// that field; anything else becomes the form's general message.
import { reactive, ref } from 'vue'

export function useFormErrors(fields) {
  const errors = reactive(Object.fromEntries(fields.map((f) => [f, ''])))
  const general = ref('')

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

  return { errors, general, clear, show }
}
