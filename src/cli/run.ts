import type { ExitCodeValue } from '../errors.js'

/** What every command action returns: the exit code. `main.ts` is the single place that exits. */
export type CommandResult = ExitCodeValue

let lastResult: CommandResult = 0

/** Wraps a command handler so that its exit code reaches main.ts (commander discards return values). */
export function action<A extends unknown[]>(
  handler: (...args: A) => Promise<CommandResult> | CommandResult,
): (...args: A) => Promise<void> {
  return async (...args: A) => {
    lastResult = await handler(...args)
  }
}

export function takeResult(): CommandResult {
  return lastResult
}

/** Writes one line to standard output. */
export function out(line = ''): void {
  process.stdout.write(`${line}\n`)
}

/** Writes one line to standard error. */
export function err(line = ''): void {
  process.stderr.write(`${line}\n`)
}
