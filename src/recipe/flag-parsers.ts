import { BadText, type TextParser } from './option-flags.js'

/** The text as it is. */
export const text: TextParser<string> = (t) => t

/** A switch (`--json`): given means true. */
export const on: TextParser<true> = () => true

/** A decimal number (`3`, `-1`, `1.5`, `2e3`); `abc`, `0x10`, `` and ` 3` are not numbers. */
export const number: TextParser<number> = (t) =>
  /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t) ? Number(t) : new BadText()

/** One of `values`, in any case (`weights` is `WEIGHTS`), as the schema compares them. */
export const oneOf =
  <V extends string>(values: readonly V[]): TextParser<V> =>
  (t) =>
    values.find((v) => v.toLowerCase() === t.toLowerCase()) ?? new BadText()

/** A comma-separated list, each item trimmed (`a, b` → `["a", "b"]`); empty items are kept for the schema. */
export const commaList: TextParser<string[]> = (t) => t.split(',').map((item) => item.trim())

/** The texts of a repeatable flag, in order. */
export const texts = (all: readonly string[]): string[] => [...all]
