import type { Finding } from './findings.js'

/**
 * The text of a project file. Bytes are decoded as UTF-8 with a fatal decoder (a byte-order mark is
 * dropped), so that a valid U+FFFD passes and a byte that is not UTF-8 is refused where it is; NUL is
 * refused too (PyYAML, which NVFlare reads project files with, refuses it).
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true })

export type Decoded = { text: string } | { problem: Finding }

export function decodeProjectText(input: string | Uint8Array): Decoded {
  let text: string
  if (typeof input === 'string') text = input
  else {
    try {
      text = UTF8.decode(input)
    } catch {
      return { problem: invalidByte(input) }
    }
  }
  const nul = text.indexOf('\u0000')
  if (nul >= 0) {
    const pos = lineColOf(text.slice(0, nul))
    return { problem: { path: [], pos, message: 'expected UTF-8 text; found a NUL character here' } }
  }
  return { text }
}

/** 1-based line and column (in UTF-16 units, as the YAML parser counts) just after `before`. */
export function lineColOf(before: string): { line: number; col: number } {
  const lastNewline = before.lastIndexOf('\n')
  let line = 1
  for (let i = before.indexOf('\n'); i >= 0; i = before.indexOf('\n', i + 1)) line++
  return { line, col: before.length - lastNewline }
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1
  if (codePoint < 0x800) return 2
  return codePoint < 0x10000 ? 3 : 4
}

/**
 * Where the first byte that is not UTF-8 is. The lenient decoder turns every bad sequence into U+FFFD;
 * walking its output alongside the bytes, the first U+FFFD not written as EF BF BD is the bad byte.
 */
function invalidByte(bytes: Uint8Array): Finding {
  const lenient = new TextDecoder('utf-8').decode(bytes)
  let offset = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  let chars = 0
  for (const ch of lenient) {
    const cp = ch.codePointAt(0) ?? 0
    const written = bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd
    if (cp === 0xfffd && !written) break
    offset += utf8Length(cp)
    chars += ch.length
  }
  const byte = (bytes[offset] ?? 0).toString(16).padStart(2, '0')
  return {
    path: [],
    pos: lineColOf(lenient.slice(0, chars)),
    message: `expected UTF-8 text; byte 0x${byte} (at byte ${offset}) is not UTF-8`,
  }
}
