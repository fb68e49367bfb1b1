import { ProvisionError } from '../errors.js'
import type { IssueLine } from './issues.js'
import type { Flag, FlagTable, FlagText } from './option-flags.js'

/** What the flags given make: the values, and the flag that gave each key. */
export interface FlagValues<T> {
  values: Partial<T>
  /** `numRounds` → `--num-rounds`, for the keys given as flags (messages about a key name its flag). */
  flagOf: Readonly<Record<string, string>>
  /** One line per bad flag, `--flag: what is wrong (got "text")`. */
  problems: string[]
}

interface Given<T> {
  flag: Flag<T>
  text: FlagText
}

const got = (text: FlagText) => (text === true ? '' : ` (got ${JSON.stringify(text)})`)
/** Where in the value the problem is: `item 2: ` (of a list), `classPath: ` (of an object), or nothing. */
const sub = (line: IssueLine) =>
  line.path.length > 1
    ? `${line.path
        .slice(1)
        .map((p) => (typeof p === 'number' ? `item ${p + 1}` : String(p)))
        .join('.')}: `
    : ''

/**
 * Reads the flags given (`textOf` says undefined for the others) as strictly as the schema: each value is
 * parsed by its flag's parser and checked by the schema, whose messages name the flag. Nothing is thrown:
 * the caller reports `problems` (see `flagError`).
 */
export function readFlags<T>(
  table: FlagTable<T>,
  textOf: (flag: Flag<T>) => FlagText | undefined,
): FlagValues<T> {
  const given: Given<T>[] = []
  for (const flag of table.flags) {
    const text = textOf(flag)
    if (text !== undefined) given.push({ flag, text })
  }
  const out: FlagValues<T> = { values: {}, flagOf: {}, problems: [] }
  const setters = (key: string) => given.filter((g) => g.flag.role === 'sets' && g.flag.key === key)
  for (const role of ['sets', 'adds'] as const) {
    for (const g of given.filter((x) => x.flag.role === role)) {
      const rivals = setters(g.flag.key)
      if (role === 'sets' && rivals.length > 1) {
        if (rivals[0] === g)
          out.problems.push(`give ${rivals.map((r) => r.flag.name).join(' or ')}, not both`)
      } else if (role === 'adds' && out.values[g.flag.key] === undefined) {
        // a bad setter is reported already; without one, say which flag this one goes with
        if (rivals.length === 0) out.problems.push(`${g.flag.name} goes with ${settersOf(table, g.flag)}`)
      } else {
        readOne(table, g, out)
      }
    }
  }
  return out
}

function settersOf<T>(table: FlagTable<T>, flag: Flag<T>): string {
  const names = table.flags.filter((f) => f.role === 'sets' && f.key === flag.key).map((f) => f.name)
  return names.join(' or ')
}

function readOne<T>(table: FlagTable<T>, { flag, text }: Given<T>, out: FlagValues<T>): void {
  const { values, problems } = out
  const before = values[flag.key]
  const bad = flag.write(values, text)
  if (bad !== undefined) {
    // without a reason of its own, the text is no value of the key's type: the schema says what it wants
    const why = bad.why ?? table.check(flag.key, text)[0]?.message ?? 'is not valid'
    problems.push(`${flag.name}: ${why}${got(text)}`)
    return
  }
  const issues = table.check(flag.key, values[flag.key])
  if (issues.length === 0) {
    out.flagOf = { [flag.key]: flag.name, ...out.flagOf }
    return
  }
  if (before === undefined) delete values[flag.key]
  else values[flag.key] = before
  for (const line of issues) problems.push(`${flag.name}: ${sub(line)}${line.message}${got(text)}`)
}

/** The error for bad flags: exit 2, the first problem as the message and the others listed. */
export function flagError(problems: readonly string[]): ProvisionError {
  return new ProvisionError('bad-option', problems[0] ?? 'invalid flags', {
    problems: problems.slice(1),
    hint: 'see --help for each flag and the values it takes',
  })
}

/**
 * A library error about keys, with each key that was given as a flag named by its flag: the problem
 * `numRounds: …` becomes `--num-rounds: …`.
 */
export function namedByFlags(
  error: ProvisionError,
  flagOf: Readonly<Record<string, string>>,
): ProvisionError {
  const rename = (line: string) => {
    const key = /^([A-Za-z_][A-Za-z0-9_]*):/.exec(line)?.[1]
    const flag = key === undefined ? undefined : flagOf[key]
    return flag === undefined || key === undefined ? line : `${flag}${line.slice(key.length)}`
  }
  return new ProvisionError(error.code, rename(error.message), {
    problems: error.problems.map(rename),
    exitCode: error.exitCode,
    cause: error,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  })
}
