/**
 * JSON the way Python's `json.dumps(obj)` writes it with default arguments: `{"a": "b", "c": "d"}`,
 * `ensure_ascii` escapes, no trailing newline. NVFlare writes signature.json and state/cert.json this way.
 */
export type PyJson = string | number | boolean | null | PyJson[] | { [key: string]: PyJson }

export function pythonJsonDumps(value: PyJson): string {
  if (typeof value === 'string') return pyString(value)
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`
  const items = Object.entries(value).map(([k, v]) => `${pyString(k)}: ${pythonJsonDumps(v)}`)
  return `{${items.join(', ')}}`
}

function pyString(s: string): string {
  // JSON.stringify escapes quotes, backslashes and control characters like Python; ensure_ascii also
  // escapes everything from U+007F up (astral characters as their two UTF-16 surrogates, like Python).
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}
