import { ExitCode, ProvisionError } from '../../errors.js'
import type { Choice, Prompter } from '../prompts.js'
import type { Parsed } from './parse.js'

export interface AskSpec<T> {
  message: string
  default: string
  parse: (answer: string) => Parsed<T>
  /** A flag value given on the command line: used without asking when it parses. */
  preset?: string | undefined
  /** The flag that sets this answer, for messages (`--name`). */
  flag: string
}

/**
 * Asks until the answer parses: the problem is shown under the question (and again as a note), then the
 * question is asked again. A valid preset skips the question; an invalid one is an error when nobody answers.
 */
export async function ask<T>(p: Prompter, spec: AskSpec<T>): Promise<T> {
  if (spec.preset !== undefined) {
    const given = spec.parse(spec.preset.trim())
    if (given.ok) return given.value
    if (!p.interactive) throw badFlag(spec.flag, spec.preset, given.problem)
    p.note(`${spec.flag} ${JSON.stringify(spec.preset)}: ${given.problem}`)
  }
  for (;;) {
    const answer = await p.text({
      message: spec.message,
      default: spec.default,
      validate: (value) => {
        const r = spec.parse(value)
        return r.ok ? undefined : r.problem
      },
    })
    const r = spec.parse(answer.trim())
    if (r.ok) return r.value
    if (!p.interactive) throw badFlag(spec.flag, answer, r.problem)
    p.note(`  ${r.problem}`)
  }
}

/** A choice among fixed values; a preset must be one of them. */
export async function choose<T extends string>(
  p: Prompter,
  spec: {
    message: string
    choices: readonly Choice<T>[]
    default: T
    preset?: string | undefined
    flag: string
  },
): Promise<T> {
  if (spec.preset !== undefined) {
    const hit = spec.choices.find((c) => c.value === spec.preset?.trim().toLowerCase())
    if (hit) return hit.value
    const problem = `expected one of ${spec.choices.map((c) => c.value).join(', ')}`
    if (!p.interactive) throw badFlag(spec.flag, spec.preset, problem)
    p.note(`${spec.flag} ${JSON.stringify(spec.preset)}: ${problem}`)
  }
  return p.select({ message: spec.message, choices: spec.choices, default: spec.default })
}

function badFlag(flag: string, value: string, problem: string): ProvisionError {
  return new ProvisionError('bad-option', `${flag} ${JSON.stringify(value)}: ${problem}`, {
    exitCode: ExitCode.badInput,
    hint: 'Fix the flag, or run `provision init` in a terminal to answer the questions.',
  })
}
