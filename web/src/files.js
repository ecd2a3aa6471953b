// The file types the server takes for 印证材料 (attach_check_file in
// src/engine/attach.c: declared type, checked by content), the upload
// limit (API_MAX_UPLOAD) and how sizes and types are shown.

export const MAX_UPLOAD = 10 * 1024 * 1024
export const FILE_TYPES = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}
export const ACCEPT = Object.keys(FILE_TYPES).map((e) => '.' + e).join(',')
export const FILE_RULE = '支持 PDF、PNG、JPEG、DOCX、XLSX，单个文件不超过 10 MB'
const LABELS = { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG', [FILE_TYPES.docx]: 'DOCX', [FILE_TYPES.xlsx]: 'XLSX' }
export const typeLabel = (t) => LABELS[t] || t

export function fileSize(n) {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${n} B`
}

// The Content-Type to send for a picked file, or an error message.
export function checkFile(file) {
  const ext = (file.name.split('.').pop() || '').toLowerCase()
  const type = Object.values(FILE_TYPES).includes(file.type) ? file.type : FILE_TYPES[ext]
  if (!type) return { error: '印证材料仅支持 PDF、PNG、JPEG、DOCX、XLSX 文件' }
  if (file.size > MAX_UPLOAD) return { error: `文件过大（${fileSize(file.size)}），单个文件不超过 10 MB` }
  return { type }
}
