// Whether the console runs on a narrow screen (a phone, a government
// messaging app's web view): the menu becomes a drawer, lists become cards
// and dialogs fill the screen. One breakpoint, here.
import { ref } from 'vue'

const query = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(max-width: 768px)') : null
export const narrow = ref(!!query?.matches)
query?.addEventListener?.('change', (e) => (narrow.value = e.matches))
