import type { ProvisionEvent } from '../provision/events.js'

/** The environment variable that names a test kill point. */
export const KILL_POINT_ENV = 'FEDFORGE_TEST_KILL_AT'

/** A progress event's point name: `<stage>:<builder>` for stages (`build:he`), else its type (`signed`). */
export function eventPoint(e: ProvisionEvent): string {
  return e.type === 'stage' ? `${e.stage}:${e.builder}` : e.type
}

/**
 * Test-only: with FEDFORGE_TEST_KILL_AT=<point>[#n] the CLI kills itself (SIGKILL) at the n-th progress
 * event of that name (default the first), from inside the provisioner's own call, so the kill lands exactly
 * there and not whenever a timer fires. test/hostile/crash.test.ts crashes runs at named points this way.
 * Points: `initialize:cert`, `build:he`, `finalize:cert`, `commit:provisioner` (just before the state
 * write), … and event types such as `key-generated`, `kit-written`, `signed`. Unset, it does nothing; set,
 * it does only what `kill -9` does, which every run must survive anyway.
 */
export function killPointHook(
  env: NodeJS.ProcessEnv = process.env,
): ((e: ProvisionEvent) => void) | undefined {
  const spec = env[KILL_POINT_ENV]
  if (!spec) return undefined
  const [point, nth] = spec.split('#')
  const target = nth === undefined ? 1 : Number(nth)
  let seen = 0
  return (e) => {
    if (eventPoint(e) === point && ++seen === target) process.kill(process.pid, 'SIGKILL')
  }
}
