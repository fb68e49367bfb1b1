import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ExitCode, isProvisionError, type ProvisionError } from '../../../src/errors.js'
import { PocEnv, type PocEnvOptions } from '../../../src/recipe/envs/poc-env.js'
import { RUN_PHASES, type RunEvent } from '../../../src/recipe/envs/runtime/events.js'
import { recordFile } from '../../../src/recipe/envs/runtime/poc-federation.js'
import { hasProc } from '../../../src/recipe/envs/runtime/proc-scan.js'
import { FedAvgRecipeWithHE } from '../../../src/recipe/fedavg-he.js'
import { CLIENT_PY, tempDirs } from '../helpers.js'
import { NOW } from '../kits.js'
import {
  BROKEN_TENSEAL,
  type FakeRuntime,
  fakeRuntime,
  PYTHON3,
  processesOf,
  type Scenario,
} from './fake-runtime.js'

// One workspace for the file: the first run provisions, the others reuse its prod_NN (their ports are free).
const temp = tempDirs()
afterAll(() => temp.cleanup())
const workspace = join(temp.make('fedforge-poc-'), 'ws')
const prodDir = join(workspace, 'example_project', 'prod_00')

const recipe = () => new FedAvgRecipeWithHE({ minClients: 2, trainScript: CLIENT_PY, numRounds: 2 })

function env(fake: FakeRuntime, timeouts: PocEnvOptions['timeouts'] = {}, ws = workspace) {
  return new PocEnv({ workspace: ws, python: PYTHON3, env: fake.env, timeouts, pollSeconds: 0.02, now: NOW })
}

async function failure(promise: Promise<unknown>): Promise<ProvisionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isProvisionError(error)) throw new Error(`expected a ProvisionError, got ${String(error)}`)
  return error
}

async function runWith(scenario: Scenario, timeouts: PocEnvOptions['timeouts'] = {}, silent: string[] = []) {
  const fake = fakeRuntime(scenario, { silent })
  const events: RunEvent[] = []
  const outcome = recipe()
    .execute(env(fake, timeouts), { onEvent: (e) => events.push(e) })
    .then(
      (run) => ({ run, error: undefined }),
      (error: unknown) => ({ run: undefined, error }),
    )
  const { run, error } = await outcome
  return { run, error, events, fake }
}

describe.runIf(hasProc())('PocEnv.execute on the stand-in NVFlare (orchestration only)', () => {
  it('provisions, starts the server then the clients, awaits them, runs the job to its end, downloads, stops all', async () => {
    const { run, error, events, fake } = await runWith('complete')
    expect(error).toBeUndefined()
    expect(run).toMatchObject({
      env: 'poc',
      status: 'FINISHED:COMPLETED',
      completed: true,
      clients: ['site-1', 'site-2'],
      rounds: { round: 2, numRounds: 2 },
      provisionedDir: prodDir,
      reused: false,
      nvflareVersion: '2.8',
      runtime: { modules: { nvflare: '2.8.0', tenseal: '0.3.16' } },
      warnings: [],
    })
    expect(run!.resultDir).toBe(join(prodDir, 'admin@nvidia.com', 'transfer', run!.jobId))
    expect(readFileSync(run!.globalModel!, 'utf8')).toBe('fake global model')
    expect(run!.phases.map((p) => p.phase)).toEqual([...RUN_PHASES])
    expect(run!.logs.kits.map((k) => [k.name, existsSync(k.log)])).toEqual([
      ['localhost', true],
      ['site-1', true],
      ['site-2', true],
    ])
    const started = events.filter((e) => e.type === 'kit-started').map((e) => e.kit)
    expect(started[0], 'server first').toBe('localhost')
    expect(started.slice(1).sort(), 'then the clients').toEqual(['site-1', 'site-2'])
    const rounds = events.flatMap((e) => (e.type === 'round' ? [`${e.round} of ${e.numRounds}`] : []))
    expect(rounds).toEqual(['1 of 2', '2 of 2'])
    expect(events.at(-1)).toEqual({ type: 'stopped', kits: ['localhost', 'site-1', 'site-2'], left: [] })
    expect(processesOf(prodDir, fake.tag), 'kit and job processes left').toEqual([])
    expect(existsSync(recordFile(prodDir))).toBe(false)
  })

  it('reuses the prod_NN, and returns a job that ended badly as data (not completed), downloaded', async () => {
    const { run, fake } = await runWith('exception')
    expect(run).toMatchObject({
      reused: true,
      provisionedDir: prodDir,
      status: 'FINISHED:EXECUTION_EXCEPTION',
    })
    expect(run!.completed).toBe(false)
    expect(run!.globalModel).toBeDefined()
    expect(processesOf(prodDir, fake.tag)).toEqual([])
  })

  it('bounds the registration: names the missing client and the logs to read, and stops everything', async () => {
    const { error, fake } = await runWith('complete', { registration: 1 }, ['site-2'])
    const e = error as ProvisionError
    expect([e.code, e.exitCode]).toEqual(['registration-timeout', ExitCode.failed])
    expect(e.message).toBe(
      'waited 1 s for the clients to register with the server: site-2 did not (registered: site-1)',
    )
    for (const kit of ['localhost', 'site-1', 'site-2'])
      expect(e.hint).toContain(join(prodDir, kit, 'log.txt'))
    expect(e.hint).toContain('--registration-timeout')
    expect(processesOf(prodDir, fake.tag)).toEqual([])
  })

  it('bounds the start of the job and each round, naming the wait, the logs and the option', async () => {
    const start = await runWith('stuck-start', { jobStart: 0.3 })
    const s = start.error as ProvisionError
    expect(s.code).toBe('job-start-timeout')
    expect(s.message).toMatch(
      /^job \S+ did not start within 0.3 s \(status SUBMITTED\) \(the PoC federation was stopped with it\)$/,
    )
    expect(s.hint).toMatch(/^read .*localhost\/log\.txt and .*; allow more time with --start-timeout$/)
    expect(processesOf(prodDir, start.fake.tag)).toEqual([])
    const round = await runWith('stuck-round', { round: 0.3 })
    const r = round.error as ProvisionError
    const submitted = round.events.flatMap((e) => (e.type === 'job-submitted' ? [e.jobId] : []))
    expect(r.code).toBe('round-timeout')
    expect(r.message).toBe(
      `job ${submitted[0]} made no progress for 0.3 s in round 1 of 2 (the PoC federation was stopped with it)`,
    )
    expect(r.hint).toContain(join(prodDir, 'site-2', submitted[0]!, 'log.txt'))
    expect(r.hint).toContain('--round-timeout')
    expect(processesOf(prodDir, round.fake.tag)).toEqual([])
  })

  it('stops every process and rejects as interrupted (exit 130) when aborted during the job', async () => {
    const fake = fakeRuntime('stuck-round')
    const controller = new AbortController()
    const onEvent = (e: RunEvent) => {
      if (e.type === 'round') controller.abort()
    }
    const e = await failure(recipe().execute(env(fake), { signal: controller.signal, onEvent }))
    expect([e.code, e.exitCode]).toEqual(['interrupted', ExitCode.interrupted])
    expect(processesOf(prodDir, fake.tag)).toEqual([])
  })

  it('refuses before anything starts when the interpreter cannot import what HE needs (exit 3)', async () => {
    const fake = fakeRuntime('complete', { pythonPath: [BROKEN_TENSEAL] })
    const fresh = join(temp.make(), 'never-created')
    const e = await failure(recipe().execute(env(fake, {}, fresh)))
    expect([e.code, e.exitCode]).toEqual(['python-module-missing', ExitCode.conflict])
    expect(e.message).toContain(`${PYTHON3} cannot import tenseal: ImportError: libseal.so.4.1`)
    expect(existsSync(fresh), 'nothing provisioned').toBe(false)
    expect(processesOf(fresh, fake.tag)).toEqual([])
  })
})
