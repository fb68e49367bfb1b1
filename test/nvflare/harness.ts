import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listProcesses, mentions } from '../../src/recipe/envs/runtime/proc-scan.js'
import { BIN, REPO } from '../helpers/paths.js'
import { keepRunFolders, type NvflareTarget, nvflareTargets, pythonSetup } from './config.js'
import { expectedFedAvg } from './expected-fedavg.js'
import { type ProcessRun, runProcess } from './processes.js'

const HERE = join(REPO, 'test', 'nvflare')
const DECRYPT = join(HERE, 'decrypt_global.py')
/** The job's training script (job/client.py, beside job/model.py). */
export const TRAIN_SCRIPT = join(HERE, 'job', 'client.py')
const LAYERS = { 'fc1.weight': 32, 'fc1.bias': 8, 'fc2.weight': 16, 'fc2.bias': 2 }
export const MINUTE = 60_000

export const python = pythonSetup()

/** One target's run: its folder, the environment of its processes, and its record (vitest shows it). */
export interface Run {
  root: string
  env: NodeJS.ProcessEnv
  say: (line: string) => void
}

/** The summary line `<label>: <value>` of the bin's output. */
export const summary = (stdout: string, label: string): string | undefined =>
  new RegExp(`^${label}: (.+)$`, 'm').exec(stdout)?.[1]

/** The built bin with `args` in `cwd` (default: the run folder); its output goes into the record. */
export async function runBin(run: Run, args: string[], cwd = run.root, timeoutMs = 15 * MINUTE) {
  run.say(`provision ${args.join(' ')}`)
  const bin = await runProcess(process.execPath, [BIN, ...args], run.env, timeoutMs, cwd)
  for (const line of `${bin.stderr}${bin.stdout}`.trimEnd().split('\n')) run.say(`| ${line}`)
  return bin
}

/** Like runBin, and the bin must exit 0. */
export async function runBinOk(run: Run, args: string[], cwd = run.root): Promise<ProcessRun> {
  const bin = await runBin(run, args, cwd)
  if (bin.code !== 0) throw new Error(`provision ${args[0]} exited ${bin.code}\n${bin.stderr}`)
  return bin
}

function lastEvent(run: ProcessRun, event: string): Record<string, unknown> {
  const found = run.events.filter((e) => e['event'] === event).at(-1)
  if (!found) throw new Error(`no "${event}" (exit ${run.code})\n${run.stdout}\n${run.stderr}`)
  return found
}

type Layers = Record<string, { encrypted: boolean; values: number[] }>

/**
 * The global model the server stored is encrypted, and decrypts with `clientContext` (a client kit's
 * `startup/client_context.tenseal`) to the FedAvg of round 1.
 */
export async function checkGlobalModel(run: Run, globalModel: string, clientContext: string): Promise<void> {
  const args = [DECRYPT, join(globalModel, '..'), clientContext]
  const decrypted = await runProcess(python.python, args, run.env, MINUTE)
  if (decrypted.code !== 0) throw new Error(`decrypt_global.py exited ${decrypted.code}\n${decrypted.stderr}`)
  const layers = lastEvent(decrypted, 'decrypted')['layers'] as Layers
  expect(Object.keys(layers).sort()).toEqual(Object.keys(LAYERS).sort())
  for (const [name, size] of Object.entries(LAYERS)) {
    const layer = layers[name]!
    expect(layer.encrypted, `${name} is stored encrypted on the server`).toBe(true)
    expect(layer.values).toHaveLength(size)
    const expected = expectedFedAvg(1, size)
    const maxErr = Math.max(...layer.values.map((v, i) => Math.abs(v - expected[i]!)))
    run.say(`global ${name}: encrypted, ${size} values, max error vs FedAvg ${maxErr.toExponential(2)}`)
    expect(maxErr, `${name}: decrypted global model vs the FedAvg of round 1`).toBeLessThan(1e-4)
  }
}

/** Processes whose arguments name the run folder (kits, jobs, driver): none once the bin has ended. */
export const processesUnder = (root: string): string[] =>
  listProcesses()
    .filter((p) => p.state !== 'Z' && mentions(p.args, root))
    .map((p) => `${p.pid} ${p.args.join(' ')}`)

type ConfiguredTarget = NvflareTarget & { source: string }

/** Runs `body` in a fresh run folder; a failed run keeps its folder (its logs say why), as FEDFORGE_NVFLARE_KEEP=1 does. */
async function inRunFolder(
  target: ConfiguredTarget,
  label: string,
  body: (run: Run) => Promise<void>,
): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), `fedforge-nvflare-${target.version}-${label}-`))
  const say = (line: string) => console.info(`[NVFlare ${target.version} ${label}] ${line}`)
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: python.pythonPath(target.source) }
  delete env['FEDFORGE_PYTHON']
  let passed = false
  try {
    await body({ root, env, say })
    expect(processesUnder(root), `processes left running from ${root}`).toEqual([])
    passed = true
  } finally {
    if (keepRunFolders() || !passed) say(`kept ${root}${passed ? '' : ' (the run failed: read its logs)'}`)
    else rmSync(root, { recursive: true, force: true })
  }
}

/**
 * One test per NVFlare target that has a source folder configured, each in its own run folder; a skipped
 * test, saying which variable to set, for each that has none.
 */
export function describeTargets(
  title: string,
  label: string,
  testTitle: (target: ConfiguredTarget) => string,
  body: (run: Run, target: ConfiguredTarget) => Promise<void>,
): void {
  const targets = nvflareTargets()
  describe(title, () => {
    if (targets.every((t) => t.source === undefined)) {
      it.skip(`skipped: set ${targets.map((t) => t.envVar).join(', ')} (NVFlare source folders) to run it`, () => {})
      return
    }
    for (const target of targets) {
      const source = target.source
      if (source === undefined) {
        it.skip(`NVFlare ${target.version}: skipped, set ${target.envVar} to an NVFlare ${target.version} source folder`, () => {})
        continue
      }
      const configured = { ...target, source }
      it(
        testTitle(configured),
        () => inRunFolder(configured, label, (run) => body(run, configured)),
        20 * MINUTE,
      )
    }
  })
}
