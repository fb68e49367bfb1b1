import { randomBytes } from 'node:crypto'
import { delimiter } from 'node:path'
import { fileURLToPath } from 'node:url'
import { listProcesses, mentions } from '../../../src/recipe/envs/runtime/proc-scan.js'
import { findExecutable } from '../../../src/recipe/envs/runtime/python.js'

/** The stand-in NVFlare + TenSEAL (see fake-nvflare/README.md); a TenSEAL whose import fails. */
export const FAKE_NVFLARE = fileURLToPath(new URL('./fake-nvflare', import.meta.url))
export const BROKEN_TENSEAL = fileURLToPath(new URL('./broken-tenseal', import.meta.url))

/** The machine's python3 (CI has one; it has no NVFlare, and the stand-in needs only the standard library). */
export const PYTHON3 = findExecutable('python3') ?? 'python3'

export type Scenario =
  | 'complete'
  | 'stuck-start'
  | 'stuck-round'
  | 'exception'
  | 'failed-to-run'
  | 'no-session'

export interface FakeRuntime {
  env: NodeJS.ProcessEnv
  /** Carried in the arguments of every fake job process of this runtime. */
  tag: string
}

/** The environment of a run on the stand-in: PYTHONPATH, the scenario, a tag, no __pycache__ in the repo. */
export function fakeRuntime(
  scenario: Scenario = 'complete',
  more: { silent?: string[]; pythonPath?: string[] } = {},
): FakeRuntime {
  const tag = `fedforge-test-${randomBytes(6).toString('hex')}`
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PYTHONPATH: [...(more.pythonPath ?? []), FAKE_NVFLARE].join(delimiter),
    PYTHONDONTWRITEBYTECODE: '1',
    FLARE_START_WAIT: '1', // start.sh's watch of a new kit process (default 10 s)
    FAKE_NVFLARE_SCENARIO: scenario,
    FAKE_NVFLARE_TAG: tag,
    FAKE_NVFLARE_SILENT: (more.silent ?? []).join(','),
  }
  delete env['FEDFORGE_PYTHON']
  return { env, tag }
}

/** Pids of the processes whose arguments name `dir` (or something in it), or carry `tag`. */
export function processesOf(dir: string, tag?: string): number[] {
  return listProcesses()
    .filter((p) => p.state !== 'Z' && (mentions(p.args, dir) || (tag !== undefined && p.args.includes(tag))))
    .map((p) => p.pid)
}
