/** Exit codes of the `provision` command. */
export const ExitCode = {
  ok: 0,
  /** A check failed (for example `provision verify` found a problem). */
  failed: 1,
  /** The input was bad: a project file, an argument, a kit the user pointed at. */
  badInput: 2,
  /** The workspace is busy or in a state the user must resolve (lock held, state mismatch). */
  conflict: 3,
  /** Interrupted by the user (Ctrl-C). */
  interrupted: 130,
} as const

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export interface ProvisionErrorOptions {
  /** One line telling the user what to do about it. */
  hint?: string
  cause?: unknown
  exitCode?: ExitCodeValue
  /** Several problems found at once (for example every problem in a project file). */
  problems?: readonly string[]
}

/**
 * An error the user can fix. The CLI prints its message (and hint) without a stack trace and exits with
 * `exitCode`. Everything that is not a ProvisionError is a bug and is printed with its stack.
 */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError'
  readonly code: string
  readonly hint: string | undefined
  readonly exitCode: ExitCodeValue
  readonly problems: readonly string[]

  constructor(code: string, message: string, options: ProvisionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.hint = options.hint
    this.exitCode = options.exitCode ?? ExitCode.badInput
    this.problems = options.problems ?? []
  }
}

export function isProvisionError(error: unknown): error is ProvisionError {
  return error instanceof ProvisionError
}
