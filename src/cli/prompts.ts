/**
 * The only module that talks to @inquirer/prompts (loaded at the first question: it takes about 0.2 s to
 * import, which every other command would pay). The wizard asks through the `Prompter` interface, so tests
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
  /** False when nobody answers (--yes): a bad preset value is then an error, not a question asked again. */
  readonly interactive: boolean
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

const inquirer = () => import('@inquirer/prompts')

/** Prompts on the terminal (standard input and error: standard output stays for results). */
export function createTerminalPrompter(): Prompter {
  const context = { output: process.stderr }
  return {
    interactive: true,
    text: (q) =>
      guard(async () => {
        const { input } = await inquirer()
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
    confirm: (q) =>
      guard(async () => (await inquirer()).confirm({ message: q.message, default: q.default }, context)),
    select: <T extends string>(q: SelectQuestion<T>) =>
      guard(
        async () =>
          (await (
            await inquirer()
          ).select<T>({ message: q.message, choices: q.choices, default: q.default }, context)) as T,
      ),
    note: (line) => process.stderr.write(`${line}\n`),
  }
}

/**
 * Answers every question with its default (for `provision init --yes`): the same steps run, no terminal is
 * touched. `interactive` is false, so the wizard refuses bad flag values instead of asking again.
 */
export function createDefaultsPrompter(note: (line: string) => void = () => {}): Prompter {
  return {
    interactive: false,
    text: async (q) => q.default,
    confirm: async (q) => q.default,
    select: async (q) => q.default,
    note,
  }
}
