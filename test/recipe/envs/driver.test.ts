import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ExitCode, isProvisionError, type ProvisionError } from '../../../src/errors.js'
import { type DriverOptions, runDriver } from '../../../src/recipe/envs/runtime/driver-process.js'
import {
  DriverExit,
  lineSplitter,
  ProtocolError,
  parseDriverLine,
} from '../../../src/recipe/envs/runtime/protocol.js'
import { checkRuntime } from '../../../src/recipe/envs/runtime.js'
import { tempDirs } from '../helpers.js'
import { BROKEN_TENSEAL, fakeRuntime, PYTHON3, type Scenario } from './fake-runtime.js'

const temp = tempDirs()
afterEach(() => temp.cleanup())

/** A stand-in driver: a Python script that prints `lines` on stdout, `err` on stderr, then does `then`. */
function fakeDriver(lines: string[], then = 'sys.exit(0)', err = ''): string {
  const file = join(temp.make(), 'fake_driver.py')
  const body = [
    'import sys, time',
    ...lines.map((l) => `print(${JSON.stringify(l)}, flush=True)`),
    `sys.stderr.write(${JSON.stringify(err)})`,
    then,
  ]
  writeFileSync(file, `${body.join('\n')}\n`)
  return file
}

const run = (script: string, more: Partial<DriverOptions> = {}) =>
  runDriver({ python: PYTHON3, args: [], script, ...more })

const SUBMITTED = '{"event": "submitted", "job_id": "j1"}'

describe('the JSON-line protocol', () => {
  it('parses every event the driver prints, and skips blank lines', () => {
    expect(
      parseDriverLine('{"event": "round", "job_id": "j1", "current_round": 0, "num_rounds": 2}'),
    ).toEqual({
      event: 'round',
      job_id: 'j1',
      current_round: 0,
      num_rounds: 2,
    })
    expect(parseDriverLine('  ')).toBeUndefined()
    const e = parseDriverLine(
      '{"event": "error", "kind": "timeout", "message": "m", "waiting_for": "job start"}',
    )
    expect(e).toMatchObject({ event: 'error', kind: 'timeout', waiting_for: 'job start' })
  })

  it('refuses a line that is not JSON, an unknown event and a field of the wrong type, quoting the line', () => {
    expect(() => parseDriverLine('Traceback (most recent call last):')).toThrow(
      new ProtocolError(
        'the runtime driver printed a line that is not JSON: Traceback (most recent call last):',
      ),
    )
    expect(() => parseDriverLine('{"event": "exploded"}')).toThrow(/unknown event at event .*"exploded"/)
    expect(() => parseDriverLine('{"event": "submitted", "job_id": 7}')).toThrow(/at job_id/)
  })

  it('splits a stream into lines whatever the chunks', () => {
    const lines: string[] = []
    const split = lineSplitter((l) => lines.push(l))
    for (const chunk of ['{"a"', ':1}\n{"b":2}\n', '{"c"', ':3}']) split.push(chunk)
    split.end()
    expect(lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}'])
  })
})

describe('runDriver (a stand-in driver script)', () => {
  it('streams the events in order, keeps the stderr tail, appends stderr to the log, passes the exit code', async () => {
    const seen: string[] = []
    const log = join(temp.make(), 'driver.log')
    const script = fakeDriver(
      [SUBMITTED, '', '{"event": "status", "job_id": "j1", "status": "RUNNING"}'],
      'sys.exit(5)',
      'nvflare says hi\n',
    )
    const r = await run(script, { onEvent: (e) => seen.push(e.event), logFile: log })
    expect(seen).toEqual(['submitted', 'status'])
    expect(r).toMatchObject({ code: 5, aborted: false, quiet: false, stderrTail: 'nvflare says hi\n' })
    expect(readFileSync(log, 'utf8')).toBe('nvflare says hi\n')
  })

  it('ends a driver that breaks the protocol, and rejects with the line', async () => {
    const script = fakeDriver([SUBMITTED, 'hello from a stray print'], 'time.sleep(600)')
    await expect(run(script)).rejects.toThrow(/not JSON: hello from a stray print/)
  })

  it('ends a driver that prints nothing for the quiet limit', async () => {
    const r = await run(fakeDriver([SUBMITTED], 'time.sleep(600)'), { quietLimitMs: 300 })
    expect(r).toMatchObject({ quiet: true, aborted: false, code: null, signal: 'SIGTERM' })
  })

  it('ends the driver when the run is aborted', async () => {
    const controller = new AbortController()
    const r = await run(fakeDriver([SUBMITTED], 'time.sleep(600)'), {
      signal: controller.signal,
      onEvent: () => controller.abort(),
    })
    expect(r).toMatchObject({ aborted: true, signal: 'SIGTERM' })
  })

  it('says so (exit 3) when the interpreter cannot be run', async () => {
    const error = (await runDriver({ python: '/nonexistent/python3', args: ['check'] }).catch(
      (e) => e,
    )) as ProvisionError
    expect(isProvisionError(error)).toBe(true)
    expect([error.code, error.exitCode]).toEqual(['python-missing', ExitCode.conflict])
    expect(error.message).toMatch(/^cannot run the Python interpreter \/nonexistent\/python3: .*ENOENT/)
  })
})

describe('driver.py against the stand-in FLARE API', () => {
  /** A prod_NN: admin kit, a server kit whose log says which clients joined, a job folder. */
  function federation(joined: string[]) {
    const prod = temp.make()
    mkdirSync(join(prod, 'admin@nvidia.com', 'startup'), { recursive: true })
    mkdirSync(join(prod, 'localhost', 'startup'), { recursive: true })
    writeFileSync(join(prod, 'localhost', 'startup', 'fed_server.json'), '{}')
    writeFileSync(
      join(prod, 'localhost', 'log.txt'),
      joined.map((c) => `New client ${c}@127.0.0.1 joined.\n`).join(''),
    )
    const job = join(prod, 'admin@nvidia.com', 'transfer', 'fedavg_he')
    mkdirSync(job, { recursive: true })
    writeFileSync(join(job, 'meta.json'), '{}')
    return { admin: join(prod, 'admin@nvidia.com'), job }
  }

  async function drive(scenario: Scenario, extra: string[], joined = ['site-1', 'site-2']) {
    const f = federation(joined)
    const args = [
      '--admin-kit',
      f.admin,
      '--username',
      'admin@nvidia.com',
      'run',
      f.job,
      '--poll',
      '0.01',
      ...extra,
    ]
    return { ...(await runDriver({ python: PYTHON3, args, env: fakeRuntime(scenario).env })), admin: f.admin }
  }

  it('run: session, clients, submit, every status and round, finished, downloaded', async () => {
    const r = await drive('complete', ['--expect-clients', 'site-1,site-2'])
    expect(r.code).toBe(DriverExit.ok)
    const jobId = r.events.find((e) => e.event === 'submitted')?.job_id
    expect(
      r.events.map((e) =>
        'status' in e ? e.status : 'current_round' in e ? `round ${e.current_round}` : e.event,
      ),
    ).toEqual(
      [
        'session',
        'clients',
        'submitted',
        'SUBMITTED',
        'RUNNING',
        'round 0',
        'round 1',
        'FINISHED:COMPLETED',
        'FINISHED:COMPLETED',
      ].concat(['downloaded']),
    )
    expect(r.events.at(-1)).toEqual({
      event: 'downloaded',
      job_id: jobId,
      path: join(r.admin, 'transfer', jobId!),
    })
  })

  it('bounds the wait for the job to start, for a round and for the clients (exit 5, naming the wait)', async () => {
    const start = await drive('stuck-start', ['--start-timeout', '0.2'])
    expect(start.code).toBe(DriverExit.timeout)
    expect(start.events.at(-1)).toMatchObject({
      event: 'error',
      kind: 'timeout',
      waiting_for: 'job start',
      status: 'SUBMITTED',
    })
    const round = await drive('stuck-round', ['--round-timeout', '0.2'])
    expect(round.events.at(-1)).toMatchObject({
      kind: 'timeout',
      waiting_for: 'round',
      current_round: 0,
      num_rounds: 2,
    })
    expect(round.events.at(-1)).toMatchObject({
      message: expect.stringMatching(/no progress for 0.2 s in round 1 of 2$/),
    })
    const clients = await drive(
      'complete',
      ['--expect-clients', 'site-1,site-2', '--clients-timeout', '0.2'],
      ['site-1'],
    )
    expect(clients.events.at(-1)).toMatchObject({
      kind: 'timeout',
      waiting_for: 'clients',
      clients: ['site-1'],
    })
    expect(
      clients.events.some((e) => e.event === 'submitted'),
      'nothing submitted',
    ).toBe(false)
  })

  it('finished carries what NVFlare said of the deployment (job_deploy_detail)', async () => {
    const r = await drive('failed-to-run', [])
    expect(r.code).toBe(DriverExit.ok)
    expect(r.events.find((e) => e.event === 'finished')).toMatchObject({
      status: 'FINISHED:FAILED_TO_RUN',
      detail: ['server: OK', 'site-2: failed to deploy (stand-in)'],
    })
  })

  it('reports a session that cannot be opened (exit 4)', async () => {
    const r = await drive('no-session', [])
    expect(r.code).toBe(DriverExit.session)
    expect(r.events.at(-1)).toMatchObject({
      kind: 'session',
      message: expect.stringContaining('ConnectionError: cannot connect'),
    })
  })

  it('check: a module that is missing or fails to import is named with the real error (exit 3)', async () => {
    const env = fakeRuntime().env
    const absent = await runDriver({
      python: PYTHON3,
      args: ['check', '--require', 'fedforge_absent_module'],
      env,
    })
    expect(absent.code).toBe(DriverExit.import)
    expect(absent.events).toEqual([
      {
        event: 'error',
        kind: 'import',
        module: 'fedforge_absent_module',
        message: "ModuleNotFoundError: No module named 'fedforge_absent_module'",
      },
    ])
    const broken = fakeRuntime('complete', { pythonPath: [BROKEN_TENSEAL] }).env
    const error = (await checkRuntime({ python: PYTHON3, require: ['tenseal'], env: broken }).catch(
      (e) => e,
    )) as ProvisionError
    expect([error.code, error.exitCode]).toEqual(['python-module-missing', ExitCode.conflict])
    expect(error.message).toBe(
      `the Python interpreter ${PYTHON3} cannot import tenseal: ImportError: libseal.so.4.1: cannot open shared object file: No such file or directory`,
    )
    const ok = await checkRuntime({ python: PYTHON3, require: ['tenseal'], env })
    expect(ok.modules).toEqual({ nvflare: '2.8.0', tenseal: '0.3.16' })
  })
})
