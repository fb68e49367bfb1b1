/**
 * Splits a command line as Python's `shlex.split(posix=True)` does (NVFlare tokenizes `command` and the
 * script arguments this way for external-process trainers): whitespace separates, single quotes are
 * literal, double quotes allow `\"`, `\\`, `\$` and `` \` `` escapes, a backslash outside quotes escapes
 * the next character. Throws on an unterminated quote.
 */
export function shlexSplit(line: string): string[] {
  const tokens: string[] = []
  let current = ''
  let inToken = false
  let i = 0
  while (i < line.length) {
    const ch = line[i] as string
    if (/\s/.test(ch)) {
      if (inToken) tokens.push(current)
      current = ''
      inToken = false
      i++
      continue
    }
    inToken = true
    if (ch === "'") {
      const end = line.indexOf("'", i + 1)
      if (end < 0) throw new Error(`unterminated single quote in: ${line}`)
      current += line.slice(i + 1, end)
      i = end + 1
    } else if (ch === '"') {
      const [text, next] = readDoubleQuoted(line, i + 1)
      current += text
      i = next
    } else if (ch === '\\') {
      current += line[i + 1] ?? ''
      i += 2
    } else {
      current += ch
      i++
    }
  }
  if (inToken) tokens.push(current)
  return tokens
}

function readDoubleQuoted(line: string, start: number): [string, number] {
  let text = ''
  let i = start
  while (i < line.length) {
    const ch = line[i] as string
    if (ch === '"') return [text, i + 1]
    const next = line[i + 1]
    if (ch === '\\' && next !== undefined && '"\\$`'.includes(next)) {
      text += next
      i += 2
    } else {
      text += ch
      i++
    }
  }
  throw new Error(`unterminated double quote in: ${line}`)
}
