import type { z } from 'zod'
import { type IssueLine, issueLines } from './issues.js'

/** A flag's text that is no value of the flag's type at all (`abc` for a number, `{bad` for JSON). */
export class BadText {
  /** `why` is the message; without it, the message is the schema's for the text itself. */
  constructor(readonly why?: string) {}
}

/** Turns a flag's text into its value, or BadText. */
export type TextParser<V> = (text: string) => V | BadText

/** What the command line gives for a flag: its text, the texts of a repeatable flag, or true (a switch). */
export type FlagText = string | readonly string[] | true

/**
 * One command-line flag that sets one key of `T` (a recipe's options, or how a job runs). Made by a
 * FlagMaker, which checks at compile time that the parser's values fit the key.
 */
export interface Flag<T> {
  /** Commander syntax: `--num-rounds <n>`, `-o, --output <dir>`, or `--json` for a switch. */
  readonly syntax: string
  /** The long name, `--num-rounds`: what messages call the flag. */
  readonly name: string
  readonly key: keyof T & string
  readonly help: string
  /** Shown as "(default …)" in place of the schema's default, which the command line does not use. */
  readonly defaultHelp: string | undefined
  readonly required: boolean
  /** Given several times, the flag collects its texts. */
  readonly repeatable: boolean
  /** `sets` the key (two such flags for one key exclude each other), or `adds` to what a `sets` flag set. */
  readonly role: 'sets' | 'adds'
  /** Parses `text` and writes the value into `into` (for `adds`, `into[key]` is set already). */
  readonly write: (into: Partial<T>, text: FlagText) => BadText | undefined
}

export interface FlagExtras {
  required?: boolean
  defaultHelp?: string
}

/** The typed constructors of the flags of one schema. */
export interface FlagMaker<T> {
  /** A flag whose text is the key's value (a switch: `on`, the syntax without `<arg>`). */
  value<K extends keyof T & string>(
    key: K,
    syntax: string,
    parse: TextParser<T[K]>,
    help: string,
    extras?: FlagExtras,
  ): Flag<T>
  /** A repeatable flag: its texts, in order, make the key's value. */
  many<K extends keyof T & string>(
    key: K,
    syntax: string,
    parse: (texts: readonly string[]) => T[K] | BadText,
    help: string,
  ): Flag<T>
  /** A flag that adds to the value a `value` flag for the same key set (`--model-args` to `--model`). */
  adds<K extends keyof T & string, V>(
    key: K,
    syntax: string,
    parse: TextParser<V>,
    merge: (current: NonNullable<T[K]>, value: V) => T[K],
    help: string,
  ): Flag<T>
}

/** The command-line flags of one zod object schema. */
export interface FlagTable<T> {
  readonly flags: readonly Flag<T>[]
  /** The schema's problems with `{ [key]: value }` alone (other keys absent). */
  readonly check: (key: string, value: unknown) => IssueLine[]
  /** The schema's default for each key that has one. */
  readonly defaults: () => Readonly<Record<string, unknown>>
}

const longName = (syntax: string) => /--[A-Za-z0-9][A-Za-z0-9-]*/.exec(syntax)?.[0] ?? syntax
const single = (text: FlagText) => (typeof text === 'string' ? text : text === true ? '' : text.join(','))
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null

/** What every flag has: syntax, name, key, help and the extras. */
function base<T>(key: keyof T & string, syntax: string, help: string, extras: FlagExtras = {}) {
  return {
    syntax,
    name: longName(syntax),
    key,
    help,
    defaultHelp: extras.defaultHelp,
    required: extras.required ?? false,
  }
}

function maker<T>(): FlagMaker<T> {
  return {
    value: (key, syntax, parse, help, extras) => ({
      ...base(key, syntax, help, extras),
      repeatable: false,
      role: 'sets',
      write(into, text) {
        const value = parse(single(text))
        if (value instanceof BadText) return value
        into[key] = value
      },
    }),
    many: (key, syntax, parse, help) => ({
      ...base(key, syntax, help),
      repeatable: true,
      role: 'sets',
      write(into, text) {
        const value = parse(typeof text === 'string' ? [text] : text === true ? [] : text)
        if (value instanceof BadText) return value
        into[key] = value
      },
    }),
    adds: (key, syntax, parse, merge, help) => ({
      ...base(key, syntax, help),
      repeatable: false,
      role: 'adds',
      write(into, text) {
        const value = parse(single(text))
        if (value instanceof BadText) return value
        const current = into[key]
        if (current !== undefined && current !== null) into[key] = merge(current, value)
      },
    }),
  }
}

/** The flags of `schema`, made by `build` with constructors typed by the schema's input. */
export function flagTable<S extends z.ZodObject>(
  schema: S,
  build: (f: FlagMaker<z.input<S>>) => Flag<z.input<S>>[],
): FlagTable<z.input<S>> {
  const partial: z.ZodType = schema.partial()
  return {
    flags: build(maker<z.input<S>>()),
    check(key, value) {
      const result = partial.safeParse({ [key]: value })
      return result.success ? [] : issueLines(result.error.issues)
    },
    defaults() {
      const parsed = partial.parse({})
      return isRecord(parsed) ? parsed : {}
    },
  }
}
