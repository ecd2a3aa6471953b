// lawText.js — the law library's search snippets as plain pieces: the
// server escapes the text and then wraps matches in <mark>…</mark>; the
// page never renders HTML, it splits on the two markers, decodes the five
// entities and shows each piece as text (marked or not).
const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&#39;': "'" }

const decode = (s) => s.replace(/&(lt|gt|amp|quot|#39);/g, (m) => ENTITIES[m])

/** [{ text, mark }] for a snippet ("" or null: none). */
export function snippetPieces(snippet) {
  const out = []
  let mark = false
  for (const part of (snippet || '').split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') mark = true
    else if (part === '</mark>') mark = false
    else if (part) out.push({ text: decode(part), mark })
  }
  return out
}

export const LAW_LEVELS = ['宪法', '法律', '行政法规', '部门规章', '地方性法规', '司法解释', '其他']
export const LAW_STATUSES = ['现行有效', '已修改', '已废止', '尚未生效']
export const statusTag = (s) => ({ 现行有效: 'success', 已修改: 'warning', 已废止: 'info', 尚未生效: '' })[s] ?? ''
