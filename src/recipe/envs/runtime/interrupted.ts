import { ExitCode, ProvisionError } from '../../../errors.js'

/** What a run stopped by its AbortSignal (Ctrl-C) throws, once it has stopped what it started. */
export function interrupted(what: string): ProvisionError {
  return new ProvisionError('interrupted', `interrupted: ${what}`, { exitCode: ExitCode.interrupted })
}
