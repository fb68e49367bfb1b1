/**
 * A value's canonical JSON: object keys sorted (by UTF-16 code units), no white space, strings and
 * numbers as JSON.stringify writes them. The approval's signature is over this text, so that the file
 * may be pretty-printed while its signature still covers every value in it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new Error('canonical JSON: a non-finite number')
    const text = JSON.stringify(value)
    if (text === undefined) throw new Error(`canonical JSON: cannot encode a ${typeof value}`)
    return text
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}
