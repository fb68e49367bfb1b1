import { spawnSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { alive, expectProcesses, read, runScript, runs, useFakeKits, waitForRun } from './fake-kit.js'

// The real start.sh / stop_fl.sh of a client kit, run with bash against a fake python3 (fake-kit.ts).
describe('start.sh and stop_fl.sh', () => {
  const kit = useFakeKits('fedforge-scripts-')

  it('a process that dies at start makes start.sh exit 1 with its error, also in the console log', async () => {
    const k = kit({ FAKE_MODE: 'die' })
    // a long watch: start.sh returns as soon as the process has died
    const r = runScript(k, 'start.sh', [], { FLARE_START_WAIT: '600' })
    expect(r.status).toBe(1)
    expect(r.stderr).toContain("ConfigError: Can't load class nvflare.app_common.logging.job_log_receiver")
    expect(r.stderr).toContain('exited with status 103 (config error)')
    expect(r.stderr).toContain('stopped during startup and was not restarted')
    expect(r.stdout).not.toContain('started the client')
    const log = read(join(k.kit, 'console_log.txt'))
    expect(log).toContain("ConfigError: Can't load class nvflare.app_common.logging.job_log_receiver")
    // nothing keeps running or restarting, and no pid file is left behind
    await expectProcesses(k.root, [])
    expect(existsSync(join(k.kit, 'pid.fl'))).toBe(false)
    expect(existsSync(join(k.kit, 'daemon_pid.fl'))).toBe(false)
  })

  it('a missing dependency of nvflare is reported with the interpreter and Python own message', () => {
    const k = kit({ FAKE_IMPORT: 'msgpack' })
    const r = runScript(k, 'start.sh')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(
      `${k.root}/bin/python3 (Python 3.11.2) cannot load nvflare.private.fed.app.client.client_train`,
    )
    expect(r.stderr).toContain("ModuleNotFoundError: No module named 'msgpack'")
    expect(r.stderr).toContain('NVFlare is installed, but something it imports failed')
    expect(r.stderr).not.toContain('NVFlare is not installed')
    expect(read(join(k.kit, 'console_log.txt'))).toContain("No module named 'msgpack'")
    expect(runs(k)).toEqual([]) // nothing was started
    expect(existsSync(join(k.kit, 'daemon_pid.fl'))).toBe(false)
  })

  it('a missing nvflare is reported as such, with how to install it', () => {
    const k = kit({ FAKE_IMPORT: 'nvflare' })
    const r = runScript(k, 'start.sh')
    expect(r.status).toBe(1)
    expect(r.stderr).toContain("ModuleNotFoundError: No module named 'nvflare'")
    expect(r.stderr).toContain(
      `NVFlare is not installed for this interpreter: ${k.root}/bin/python3 -m pip install nvflare`,
    )
  })

  it('stop_fl.sh stops the supervisor and the process that start.sh started', async () => {
    const k = kit({ FAKE_MODE: 'run' })
    const r = runScript(k, 'start.sh', [], { FLARE_START_WAIT: '1' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    const pid = await waitForRun(k, 1)
    const daemon = Number(read(join(k.kit, 'daemon_pid.fl')))
    expect(r.stdout).toContain(`started the client site-1: process ${pid} (running after 1 s)`)
    expect(alive(pid) && alive(daemon)).toBe(true)
    await expectProcesses(k.root, [pid, daemon])

    const again = runScript(k, 'start.sh', [], { FLARE_START_WAIT: '1' })
    expect(again.status).toBe(1)
    expect(again.stderr).toContain(`already running (pid ${daemon}, in daemon_pid.fl)`)

    const stop = runScript(k, 'stop_fl.sh', ['-y'])
    expect(stop.status).toBe(0)
    expect(stop.stdout).toContain(`stopped the client site-1 (process ${pid} ${daemon})`)
    expect(alive(pid) || alive(daemon)).toBe(false)
    await expectProcesses(k.root, [])
    for (const file of ['pid.fl', 'daemon_pid.fl', 'shutdown.fl'])
      expect(existsSync(join(k.kit, file))).toBe(false)
    expect(runs(k)).toHaveLength(1) // stopped, not restarted
    expect(runScript(k, 'stop_fl.sh', ['-y']).stdout).toContain('the client site-1 is not running')
  })

  it('stop_fl.sh sends SIGKILL to a process that ignores SIGTERM, after its bounded wait', async () => {
    const k = kit({ FAKE_MODE: 'ignore-term' })
    expect(runScript(k, 'start.sh', [], { FLARE_START_WAIT: '1' }).status).toBe(0)
    await waitForRun(k, 1)
    const stop = runScript(k, 'stop_fl.sh', ['-y'], { FLARE_STOP_WAIT: '1' })
    expect(stop.status).toBe(0)
    expect(stop.stdout).toMatch(/still running after 1 s: sending SIGKILL to \d+/)
    await expectProcesses(k.root, [])
  })

  it('stop_fl.sh leaves alone a process whose pid was recorded but which is not of this kit', () => {
    const k = kit()
    writeFileSync(join(k.kit, 'pid.fl'), `${process.pid}\n`)
    writeFileSync(join(k.kit, 'daemon_pid.fl'), '-1\n')
    const stop = runScript(k, 'stop_fl.sh', ['-y'])
    expect(stop.status).toBe(0)
    expect(stop.stdout).toContain('is not running')
    expect(alive(process.pid)).toBe(true)
  })

  it('stop_fl.sh asks first, and stops nothing without a yes', async () => {
    const k = kit({ FAKE_MODE: 'run' })
    expect(runScript(k, 'start.sh', [], { FLARE_START_WAIT: '1' }).status).toBe(0)
    const pid = await waitForRun(k, 1)
    const no = spawnSync('bash', [join(k.startup, 'stop_fl.sh')], {
      input: 'n\n',
      encoding: 'utf8',
      env: k.env,
    })
    expect(no.stdout).toContain('Stop the client site-1 now?')
    expect(no.stdout).toContain('not stopped')
    expect(alive(pid)).toBe(true)
    expect(runScript(k, 'stop_fl.sh', ['-y']).status).toBe(0)
  })
})
