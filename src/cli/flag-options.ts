import { type Command, Option } from 'commander'
import type { Flag, FlagTable, FlagText } from '../recipe/option-flags.js'
import { type FlagValues, readFlags } from '../recipe/read-flags.js'

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value]

/** How a default reads in --help: `2`, `fedavg_he`, `""`, `"python3 -u"`; nothing for false and []. */
function shown(value: unknown): string | undefined {
  if (value === undefined || value === false || (Array.isArray(value) && value.length === 0)) return undefined
  if (typeof value === 'string') return value === '' || /\s/.test(value) ? JSON.stringify(value) : value
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

function toOption<T>(flag: Flag<T>, schemaDefault: unknown): Option {
  const byDefault = flag.defaultHelp ?? (flag.role === 'sets' ? shown(schemaDefault) : undefined)
  const option = new Option(
    flag.syntax,
    byDefault === undefined ? flag.help : `${flag.help} (default: ${byDefault})`,
  )
  if (flag.required) option.makeOptionMandatory()
  if (flag.repeatable) option.argParser(collect)
  return option
}

/** Adds the table's flags to `cmd`: their syntax and help, with the default the schema (or the flag) tells. */
export function addFlags<T>(cmd: Command, table: FlagTable<T>): Command {
  const defaults = table.defaults()
  for (const flag of table.flags) cmd.addOption(toOption(flag, defaults[flag.key]))
  return cmd
}

function asFlagText(value: unknown): FlagText | undefined {
  if (typeof value === 'string' || value === true) return value
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value
  return undefined
}

/** The table's flags as commander parsed them (`cmd.opts()`), read by readFlags. */
export function flagsGiven<T>(table: FlagTable<T>, opts: Readonly<Record<string, unknown>>): FlagValues<T> {
  return readFlags(table, (flag) => asFlagText(opts[new Option(flag.syntax).attributeName()]))
}
