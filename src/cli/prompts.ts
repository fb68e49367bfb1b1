import { confirm, input, select } from '@inquirer/prompts'

/**
 * The only module that talks to @inquirer/prompts. The wizard asks through the `Prompter` interface, so tests
 * drive it with scripted answers instead of a terminal.
 */

export interface TextQuestion {
  message: string
  default: string
  /** Undefined when the answer is acceptable, else the message shown under the question. */
  validate?: (value: string) => string | undefined
}

export interface ConfirmQuestion {
  message: string
  default: boolean
}

export interface Choice<T extends string> {
  value: T
  name: string
  description?: string
}

export interface SelectQuestion<T extends string> {
  message: string
  choices: readonly Choice<T>[]
  default: T
}

export interface Prompter {
  text(q: TextQuestion): Promise<string>
  confirm(q: ConfirmQuestion): Promise<boolean>
  select<T extends string>(q: SelectQuestion<T>): Promise<T>
  /** A line of information between questions (a problem, a note, the summary). */
  note(line: string): void
}

/** The user pressed Ctrl-C (or closed the terminal) while a question was open. */
export class PromptCancelled extends Error {
  override readonly name = 'PromptCancelled'
}

async function guard<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask()
  } catch (error) {
    if (error instanceof Error && (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')) {
      throw new PromptCancelled('cancelled', { cause: error })
    }
    throw error
  }
}

/** Prompts on the terminal (standard input and error: standard output stays for results). */
export function createTerminalPrompter(): Prompter {
  const context = { output: process.stderr }
  return {
    text: (q) =>
      guard(async () => {
        const answer = await input(
          {
            message: q.message,
            default: q.default,
            validate: (value) => q.validate?.(value.trim()) ?? true,
          },
          context,
        )
        return answer.trim()
      }),
    confirm: (q) => guard(() => confirm({ message: q.message, default: q.default }, context)),
    select: <T extends string>(q: SelectQuestion<T>) =>
      guard(
        async () =>
          (await select<T>({ message: q.message, choices: q.choices, default: q.default }, context)) as T,
      ),
    note: (line) => process.stderr.write(`${line}\n`),
  }
}
