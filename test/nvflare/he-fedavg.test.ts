import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { listProcesses, mentions } from '../../src/recipe/envs/runtime/proc-scan.js'
import { BIN, REPO } from '../helpers/paths.js'
import { keepRunFolders, type NvflareTarget, nvflareTargets, pythonSetup } from './config.js'
import { expectedFedAvg } from './expected-fedavg.js'
import { ADMIN, CLIENTS, logTails, PROJECT, registrationLines, SERVER } from './federation.js'
import { type ProcessRun, runProcess } from './processes.js'

const HERE = join(REPO, 'test', 'nvflare')
const DECRYPT = join(HERE, 'decrypt_global.py')
const JOB_SOURCES = join(HERE, 'job')
const LAYERS = { 'fc1.weight': 32, 'fc1.bias': 8, 'fc2.weight': 16, 'fc2.bias': 2 }
const MINUTE = 60_000

const targets = nvflareTargets()
const python = pythonSetup()

function lastEvent(run: ProcessRun, event: string): Record<string, unknown> {
  const found = run.events.filter((e) => e['event'] === event).at(-1)
  if (!found) throw new Error(`no "${event}" (exit ${run.code})\n${run.stdout}\n${run.stderr}`)
  return found
}

type Layers = Record<string, { encrypted: boolean; values: number[] }>

/** One target's run: its folder, the environment of its processes, and its record (vitest shows it). */
interface Run {
  root: string
  env: NodeJS.ProcessEnv
  say: (line: string) => void
}

/** The summary line `<label>: <value>` of the bin's output. */
const summary = (stdout: string, label: string) => new RegExp(`^${label}: (.+)$`, 'm').exec(stdout)?.[1]

/**
 * `provision job fedavg-he --poc` through the built bin: it provisions the PoC project for the target,
 * starts the server and both clients from their kits, waits for them, runs the job through the runtime
 * driver, downloads the result and stops every process. Returns the global model's file.
 */
async function runPoc(run: Run, target: NvflareTarget): Promise<{ globalModel: string; prod: string }> {
  const args = ['job', 'fedavg-he', '--poc', '--train-script', join(JOB_SOURCES, 'client.py')]
  args.push('--model', 'model.SimpleNet', '--num-rounds', '2', '-w', join(run.root, 'ws'))
  args.push('--nvflare-version', target.version, '--python', python.python)
  run.say(`provision ${args.join(' ')}`)
  const bin = await runProcess(process.execPath, [BIN, ...args], run.env, 15 * MINUTE, run.root)
  for (const line of `${bin.stderr}${bin.stdout}`.trimEnd().split('\n')) run.say(`| ${line}`)
  const prod = join(run.root, 'ws', PROJECT, 'prod_00')
  const kitDirs = [SERVER, ...CLIENTS].map((k) => join(prod, k))
  for (const line of registrationLines(kitDirs[0]!)) run.say(`server log: ${line}`)
  const jobId = /^status: \S+ \(job ([^,)\s]+)/m.exec(bin.stdout)?.[1]
  if (bin.code !== 0) throw new Error(`the bin exited ${bin.code}\n${logTails(kitDirs, jobId)}`)
  expect(summary(bin.stdout, 'status')).toMatch(/^FINISHED:COMPLETED \(job \S+, round 2 of 2\)$/)
  expect(bin.stderr).toContain(`clients registered with the server: ${CLIENTS.join(', ')}`)
  expect(summary(bin.stdout, 'result')).toBe(join(prod, ADMIN, 'transfer', jobId!))
  return { globalModel: summary(bin.stdout, 'global model')!, prod }
}

/** The global model the server stored is encrypted, and decrypts with a client context to the FedAvg. */
async function checkGlobalModel(run: Run, prod: string, globalModel: string): Promise<void> {
  const clientContext = join(prod, CLIENTS[0], 'startup', 'client_context.tenseal')
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
const processesUnder = (root: string) =>
  listProcesses()
    .filter((p) => p.state !== 'Z' && mentions(p.args, root))
    .map((p) => `${p.pid} ${p.args.join(' ')}`)

async function runTarget(target: NvflareTarget & { source: string }): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), `fedforge-nvflare-${target.version}-`))
  const say = (line: string) => console.info(`[NVFlare ${target.version}] ${line}`)
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: python.pythonPath(target.source) }
  delete env['FEDFORGE_PYTHON']
  const run: Run = { root, env, say }
  let passed = false
  try {
    const { globalModel, prod } = await runPoc(run, target)
    await checkGlobalModel(run, prod, globalModel)
    expect(processesUnder(root), `processes left running from ${root}`).toEqual([])
    passed = true
  } finally {
    // a failed run keeps its folder: its logs say why
    if (keepRunFolders() || !passed) say(`kept ${root}${passed ? '' : ' (the run failed: read its logs)'}`)
    else rmSync(root, { recursive: true, force: true })
  }
}

const configured = targets.filter((t): t is NvflareTarget & { source: string } => t.source !== undefined)

describe('NVFlare runtime: provision job fedavg-he --poc, our kits and HE FedAvg job on the real NVFlare', () => {
  if (configured.length === 0) {
    it.skip(`skipped: set ${targets.map((t) => t.envVar).join(', ')} (NVFlare source folders) to run it`, () => {})
    return
  }
  for (const target of targets) {
    if (target.source === undefined) {
      it.skip(`NVFlare ${target.version}: skipped, set ${target.envVar} to an NVFlare ${target.version} source folder`, () => {})
      continue
    }
    const source = target.source
    it(
      `NVFlare ${target.version} (${source}): --poc runs 2 rounds to FINISHED:COMPLETED, the global model decrypts to the FedAvg, no process is left`,
      async () => {
        await runTarget({ ...target, source })
      },
      20 * MINUTE,
    )
  }
})
