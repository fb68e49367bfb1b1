import { ExitCode, ProvisionError } from '../errors.js'

/** What a run stopped by its AbortSignal (Ctrl-C in the CLI) throws; the provisioner cleans up first. */
export function interruptedError(): ProvisionError {
  return new ProvisionError('interrupted', 'interrupted: nothing was written, the workspace is as it was', {
    exitCode: ExitCode.interrupted,
  })
}

export function throwIfInterrupted(signal: AbortSignal): void {
  if (signal.aborted) throw interruptedError()
}

/** `promise`, or the interrupted error as soon as `signal` aborts (for long waits, such as keys). */
export function unlessInterrupted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(interruptedError())
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(interruptedError())
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

/**
 * Runs `work` on every item, at most `limit` at a time, and stops taking new items once `signal` aborts
 * (then rejects with the interrupted error). The first failure stops the lanes too.
 */
export async function runLimited<T>(
  items: readonly T[],
  limit: number,
  signal: AbortSignal,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0
  let failed = false
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    try {
      while (!failed && next < items.length) {
        throwIfInterrupted(signal)
        await work(items[next++]!)
      }
    } catch (error) {
      failed = true
      throw error
    }
  })
  await Promise.all(lanes)
}
