import { PromptCancelled, type Prompter } from '../../src/cli/prompts.js'

/** Press Enter: take the question's default. */
export const ENTER = Symbol('enter')
/** Press Ctrl-C at this question. */
export const CANCEL = Symbol('cancel')

export type Answer = string | boolean | typeof ENTER | typeof CANCEL

/** One scripted answer: used by the first question whose message matches. */
export type Step = [RegExp, Answer]

export interface ScriptedPrompter extends Prompter {
  /** Every question asked, in order. */
  asked: string[]
  /** Every note shown (problems, the summary). */
  notes: string[]
  /** What each text question's validate said about the answer given (undefined: accepted). */
  inline: (string | undefined)[]
  /** Steps not used: a test that leaves some was not driven the way it thinks. */
  left: () => Step[]
}

/**
 * A Prompter driven by a script: each question takes the next step if the step's pattern matches the
 * question, and presses Enter otherwise. Tests mock prompts.ts this way, never the terminal.
 */
export function scriptedPrompter(script: Step[], interactive = true): ScriptedPrompter {
  const steps = [...script]
  const asked: string[] = []
  const take = (message: string): Answer => {
    asked.push(message)
    if (asked.length > 500) throw new Error(`the wizard keeps asking: ${message}`)
    const next = steps[0]
    if (next === undefined || !next[0].test(message)) return ENTER
    steps.shift()
    if (next[1] === CANCEL) throw new PromptCancelled('cancelled')
    return next[1]
  }
  const p: ScriptedPrompter = {
    interactive,
    asked,
    notes: [],
    inline: [],
    left: () => steps,
    text: async (q) => {
      const a = take(q.message)
      const answer = a === ENTER ? q.default : String(a)
      p.inline.push(q.validate?.(answer))
      return answer
    },
    confirm: async (q) => {
      const a = take(q.message)
      return a === ENTER ? q.default : a === true || a === 'yes'
    },
    select: async (q) => {
      const a = take(q.message)
      if (a === ENTER) return q.default
      const hit = q.choices.find((c) => c.value === a)
      if (!hit) throw new Error(`no choice ${String(a)} in "${q.message}"`)
      return hit.value
    },
    note: (line) => p.notes.push(line),
  }
  return p
}
