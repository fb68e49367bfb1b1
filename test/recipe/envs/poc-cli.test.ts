import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ExitCode } from '../../../src/errors.js'
import { hasProc } from '../../../src/recipe/envs/runtime/proc-scan.js'
import { BIN } from '../../helpers/paths.js'
import { CLIENT_PY, tempDirs } from '../helpers.js'
import { type FakeRuntime, fakeRuntime, PYTHON3, processesOf, type Scenario } from './fake-runtime.js'

const temp = tempDirs()
afterAll(() => temp.cleanup())
const root = temp.make('fedforge-poc-cli-')
const workspace = join(root, 'ws')
const prodDir = join(workspace, 'example_project', 'prod_00')
const pocArgs = [
  'job',
  'fedavg-he',
  '--poc',
  '--train-script',
  CLIENT_PY,
  '-w',
  workspace,
  '--python',
  PYTHON3,
]

interface Bin {
  code: number | null
  stdout: string
  stderr: string
}

/** The built bin, run to its end; `until` (a pattern of its stderr) makes it receive SIGINT then. */
function bin(args: string[], fake: FakeRuntime, until?: RegExp): Promise<Bin> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: root,
      env: fake.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let sent = false
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
      if (until && !sent && until.test(stderr)) {
        sent = true
        child.kill('SIGINT')
      }
    })
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const fake = (scenario: Scenario = 'complete') => fakeRuntime(scenario)

describe.runIf(hasProc())('provision job fedavg-he --poc and provision poc, on the stand-in NVFlare', () => {
  it('--poc runs the job to FINISHED:COMPLETED and says where the result, global model and logs are', async () => {
    const f = fake()
    const r = await bin(pocArgs, f)
    expect(r.code, r.stderr).toBe(ExitCode.ok)
    const jobId = /^status: FINISHED:COMPLETED \(job (\S+), round 2 of 2\)$/m.exec(r.stdout)?.[1]
    expect(jobId, r.stdout).toBeDefined()
    const result = join(prodDir, 'admin@nvidia.com', 'transfer', jobId!)
    expect(r.stdout).toContain(`\nresult: ${result}\n`)
    expect(r.stdout).toContain(
      `\nglobal model: ${join(result, 'workspace', 'app_server', 'FL_global_model.pt')}\n`,
    )
    expect(r.stdout).toContain(`  localhost: ${join(prodDir, 'localhost', 'log.txt')}`)
    expect(r.stdout).toMatch(/^phases: check \S+ s, provision \S+ s, start .* stop \S+ s$/m)
    expect(r.stderr).toContain('waiting for clients: 2 of 2 registered (site-1, site-2)')
    expect(r.stderr).toContain(`job ${jobId}: round 1 of 2`)
    expect(processesOf(prodDir, f.tag)).toEqual([])
  })

  it('Ctrl-C during the job stops every process it started and exits 130', async () => {
    const f = fake('stuck-round')
    const r = await bin(pocArgs, f, /round 1 of 2/)
    expect(r.code, r.stderr).toBe(ExitCode.interrupted)
    expect(r.stderr).toContain('stopping the federation')
    expect(r.stderr).toMatch(/^error: interrupted: /m)
    expect(r.stderr).toContain('stopped localhost, site-1, site-2: no process left')
    expect(processesOf(prodDir, f.tag), 'kit and job processes left').toEqual([])
  })

  it('poc start, status and stop; --prod --wait submits to the running federation', async () => {
    const f = fake()
    const start = await bin(['poc', 'start', '-w', workspace, '--python', PYTHON3], f)
    expect(start.code, start.stderr).toBe(ExitCode.ok)
    expect(start.stdout).toMatch(/^ {2}site-2 +client +pid \d+.*, registered$/m)
    const status = await bin(['poc', 'status', '-w', prodDir, '--json'], f)
    const kits = JSON.parse(status.stdout).kits as {
      name: string
      pids: number[]
      registered: boolean | null
    }[]
    expect(kits.map((k) => [k.name, k.pids.length > 0, k.registered])).toEqual([
      ['localhost', true, null],
      ['site-1', true, true],
      ['site-2', true, true],
    ])
    const prod = await bin(
      [
        'job',
        'fedavg-he',
        '--kits',
        prodDir,
        '--prod',
        '--wait',
        '--train-script',
        CLIENT_PY,
        '--python',
        PYTHON3,
        '--json',
      ],
      f,
    )
    expect(prod.code, prod.stderr).toBe(ExitCode.ok)
    expect(JSON.parse(prod.stdout)).toMatchObject({
      env: 'prod',
      status: 'FINISHED:COMPLETED',
      clients: ['site-1', 'site-2'],
    })
    const again = await bin(['poc', 'start', '-w', workspace, '--python', PYTHON3], f)
    expect(again.code).toBe(ExitCode.conflict)
    expect(again.stderr).toMatch(/^error: kits of .* are already running: localhost \(pid /m)
    const stop = await bin(['poc', 'stop', '-w', workspace], f)
    expect(stop.code, stop.stderr).toBe(ExitCode.ok)
    expect(stop.stdout).toMatch(/^ {2}site-1: pid \d+/m)
    expect(processesOf(prodDir, f.tag)).toEqual([])
    const after = await bin(['poc', 'status', '-w', workspace], f)
    expect(after.stdout).toMatch(/^ {2}site-1 +client +not running, not registered$/m)
  })

  const hasNvflare = spawnSync(PYTHON3, ['-c', 'import nvflare']).status === 0
  it.skipIf(hasNvflare)(
    'exits 3 at once, naming the interpreter and the missing module, with nothing started',
    async () => {
      const f = fake()
      f.env['PYTHONPATH'] = ''
      const fresh = join(root, 'never-created')
      const r = await bin([...pocArgs.slice(0, -4), '-w', fresh, '--python', PYTHON3], f)
      expect(r.code).toBe(ExitCode.conflict)
      expect(r.stderr).toContain(
        `error: the Python interpreter ${PYTHON3} cannot import nvflare: ModuleNotFoundError: No module named 'nvflare'\n`,
      )
      expect(existsSync(fresh)).toBe(false)
    },
  )

  it('refuses flags that do not fit together (exit 2)', async () => {
    const r = await bin([...pocArgs, '--kits', prodDir], fake())
    expect(r.code).toBe(ExitCode.badInput)
    expect(r.stderr).toContain('error: --kits: not with --poc, which provisions its own kits\n')
  })
})
