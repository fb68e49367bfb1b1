import { err } from './run.js'

export interface StopOnSignals {
  signal: AbortSignal
  dispose(): void
}

/**
 * Ctrl-C (or SIGTERM) aborts the returned signal, and the library stops its run cleanly; the CLI then
 * exits 130. `messages[i]` is printed at the (i+1)-th signal; after the last one the handler is removed,
 * so the next Ctrl-C ends the process by Node's default.
 */
export function stopOnSignals(messages: readonly string[]): StopOnSignals {
  const controller = new AbortController()
  const signals = ['SIGINT', 'SIGTERM'] as const
  let count = 0
  const dispose = () => {
    for (const name of signals) process.off(name, onSignal)
  }
  function onSignal() {
    const message = messages[count++]
    if (count >= messages.length) dispose()
    if (message) err(`\n${message}`)
    controller.abort()
  }
  for (const name of signals) process.on(name, onSignal)
  return { signal: controller.signal, dispose }
}
