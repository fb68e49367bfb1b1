/**
 * Python's `shlex.split` whitespace: only these four. Vertical tab, form feed, NBSP and the other Unicode
 * spaces are part of a word (JavaScript's `\s` would split on them).
 */
const WHITESPACE = ' \t\r\n'

/**
 * Splits a command line exactly as Python's `shlex.split(line)` does (posix mode, whitespace_split, no
 * comments), which is how NVFlare tokenizes `command` and the script arguments for external-process
 * trainers:
 * - words are separated by space, tab, CR and LF only;
 * - single quotes are literal; an empty `''` or `""` is an empty word;
 * - outside quotes a backslash takes the next character literally, whatever it is (a newline too);
 * - inside double quotes a backslash escapes only `"` and `\`; before any other character it stays
 *   (`"\$HOME"` gives `\$HOME`, unlike a POSIX shell);
 * - an unterminated quote and a backslash at the very end are errors, as Python raises ValueError.
 * test/fixtures/shlex-table.json holds Python's own results for about 3,000 strings.
 */
export function shlexSplit(line: string): string[] {
  const tokens: string[] = []
  let token = ''
  // Python emits a token when it has text or quotes were seen (`''` is a word).
  let started = false
  let i = 0
  while (i < line.length) {
    const ch = line[i] as string
    if (WHITESPACE.includes(ch)) {
      if (started) tokens.push(token)
      token = ''
      started = false
      i++
      continue
    }
    started = true
    if (ch === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new Error(`unterminated single quote (No closing quotation) in: ${line}`)
      token += line.slice(i + 1, end)
      i = end + 1
    } else if (ch === '"') {
      const [text, next] = readDoubleQuoted(line, i + 1)
      token += text
      i = next
    } else if (ch === '\\') {
      token += escapedAt(line, i + 1)
      i += 2
    } else {
      token += ch
      i++
    }
  }
  if (started) tokens.push(token)
  return tokens
}

/** The character after a backslash; Python raises "No escaped character" when there is none. */
function escapedAt(line: string, at: number): string {
  const next = line[at]
  if (next === undefined) {
    throw new Error(`a backslash at the end escapes nothing (No escaped character) in: ${line}`)
  }
  return next
}

function readDoubleQuoted(line: string, start: number): [string, number] {
  let text = ''
  let i = start
  while (i < line.length) {
    const ch = line[i] as string
    if (ch === '"') return [text, i + 1]
    if (ch === '\\') {
      const next = escapedAt(line, i + 1)
      text += next === '"' || next === '\\' ? next : `\\${next}`
      i += 2
    } else {
      text += ch
      i++
    }
  }
  throw new Error(`unterminated double quote (No closing quotation) in: ${line}`)
}
