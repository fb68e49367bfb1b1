import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isProvisionError } from '../../../src/errors.js'
import { hasProc, isRunning, readProc } from '../../../src/recipe/envs/runtime/proc-scan.js'
import {
  type LocalKit,
  runningProcesses,
  startKit,
  stopKits,
} from '../../../src/recipe/envs/runtime/supervisor.js'
import { tempDirs } from '../helpers.js'
import { PYTHON3, processesOf } from './fake-runtime.js'

const temp = tempDirs()
const started: LocalKit[] = []
afterEach(async () => {
  await stopKits(started.splice(0), { stopScriptMs: 10_000 }) // whatever a failed test left
  temp.cleanup()
})

const SESSION_CODE = 'import os, time; os.setsid(); time.sleep(3600)'
const isSessionProcess = (args: string[]) => args.includes(SESSION_CODE)

/**
 * A kit whose start.sh backgrounds a process that names the kit folder, with a child in the same process
 * group and one in a session of its own that does not name the folder (as NVFlare's job processes);
 * its stop_fl.sh leaves a mark and stops nothing.
 */
function fakeKit(root: string, name: string, startBody?: string): LocalKit {
  const dir = join(root, name)
  mkdirSync(join(dir, 'startup'), { recursive: true })
  const session = `${PYTHON3} -c "${SESSION_CODE}"`
  const start =
    startBody ??
    `KIT="$(cd "$(dirname "$0")/.." && pwd)"
nohup bash -c 'sleep 3600 & ${session} & wait' kit-process "$KIT" >/dev/null 2>&1 &
echo "started $KIT"`
  writeFileSync(join(dir, 'startup', 'start.sh'), `#!/usr/bin/env bash\n${start}\n`)
  writeFileSync(join(dir, 'startup', 'stop_fl.sh'), `#!/usr/bin/env bash\ntouch "${dir}/stop-script-ran"\n`)
  for (const f of ['start.sh', 'stop_fl.sh']) chmodSync(join(dir, 'startup', f), 0o755)
  return { name, type: 'client', dir }
}

describe.runIf(hasProc())('kit supervision (real processes)', () => {
  it('starts a kit in its own process group, finds its processes (a job session too) and stops every one', async () => {
    const root = temp.make()
    const kit = fakeKit(root, 'site-1')
    started.push(kit)
    const { pgid, outFile } = await startKit(kit, process.env, join(root, 'site-1.out'))
    expect(readFileSync(outFile, 'utf8')).toContain(`started ${kit.dir}`)
    const inOwnSession = () =>
      (runningProcesses([kit]).get('site-1') ?? []).some((p) => isSessionProcess(p.args) && p.pgid !== pgid)
    for (let i = 0; i < 200 && !inOwnSession(); i++) await new Promise((r) => setTimeout(r, 50))
    const procs = runningProcesses([kit]).get('site-1') ?? []
    // bash (names the kit), sleep (same group), python (its own session, found as a descendant)
    expect(procs.length).toBe(3)
    const session = procs.find((p) => isSessionProcess(p.args))!
    expect(session, 'the process in a session of its own').toBeDefined()
    expect(readProc(session.pid)?.pgid).not.toBe(pgid)
    expect(procs.filter((p) => p.pgid === pgid).length).toBe(2)
    const left = await stopKits([kit], { stopScriptMs: 10_000 })
    expect(left).toEqual([])
    expect(existsSync(join(kit.dir, 'stop-script-ran')), 'stop_fl.sh ran first').toBe(true)
    expect(procs.filter(isRunning)).toEqual([])
    expect(processesOf(kit.dir)).toEqual([])
  })

  it('reports a start.sh that fails with its output and the logs to read', async () => {
    const root = temp.make()
    const kit = fakeKit(root, 'site-2', 'echo "the Python package nvflare is not installed" >&2\nexit 1')
    const error = await startKit(kit, process.env, join(root, 'site-2.out')).catch((e: unknown) => e)
    expect(isProvisionError(error)).toBe(true)
    expect((error as Error).message).toBe(`site-2: ${join(kit.dir, 'startup/start.sh')} failed (1)`)
    expect((error as { problems: string[] }).problems).toEqual([
      'the Python package nvflare is not installed',
    ])
    expect((error as { hint: string }).hint).toContain(join(root, 'site-2.out'))
  })
})
