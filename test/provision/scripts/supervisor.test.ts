import { existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  alive,
  expectProcesses,
  type FakeKit,
  read,
  runScript,
  runs,
  startSupervisor,
  useFakeKits,
  waitFor,
  waitForRun,
} from './fake-kit.js'

// The real sub_start.sh, run with bash against a fake python3: the crash restarts of NVFlare's own
// sub_start.sh (at most 5 crashes in 300 s) and its restart.fl / shutdown.fl protocol.
describe('sub_start.sh', () => {
  const kit = useFakeKits('fedforge-supervisor-')
  const log = (k: FakeKit) => read(join(k.kit, 'console_log.txt'))
  const daemonPid = (k: FakeKit) => Number(read(join(k.kit, 'daemon_pid.fl')))
  it('restarts a process that crashed, and keeps the one that runs', async () => {
    const k = kit({ FAKE_MODE: 'crash-then-run:2' })
    startSupervisor(k)
    const third = await waitForRun(k, 3)
    const text = log(k)
    expect(text.match(/exited with status 1 without a restart or shutdown request/g)).toHaveLength(2)
    expect(text).toContain('fake crash 1')
    expect(text).toContain('fake crash 2')
    expect(text).toContain('restarting in 2 s (crash 2 of at most 5 within 300 s)')
    const supervisor = daemonPid(k)
    expect(alive(supervisor)).toBe(true)
    await expectProcesses(k.root, [third, supervisor])

    const stop = runScript(k, 'stop_fl.sh', ['-y'])
    expect(stop.status).toBe(0)
    await expectProcesses(k.root, [])
    expect(runs(k)).toHaveLength(3)
    expect(log(k)).toContain('stopped')
  })

  it('gives up after 5 crashes within 300 s, as NVFlare does, and cleans up its pid files', async () => {
    const k = kit({ FAKE_MODE: 'always-crash' })
    startSupervisor(k)
    await waitFor(() => log(k).includes('giving up'), 'the supervisor to give up')
    await expectProcesses(k.root, [])
    expect(runs(k)).toHaveLength(5)
    expect(log(k)).toContain('giving up: client site-1 crashed 5 times within 300 s')
    expect(log(k).match(/^sub_start\.sh: .* restarting in/gm)).toHaveLength(4)
    for (const file of ['pid.fl', 'daemon_pid.fl']) expect(existsSync(join(k.kit, file))).toBe(false)
  })

  it('starts the process again when the runtime writes restart.fl, without counting it as a crash', async () => {
    const k = kit({ FAKE_MODE: 'restart-once' })
    startSupervisor(k)
    await waitForRun(k, 2)
    expect(log(k)).toContain('after a restart request; restarting')
    expect(log(k)).not.toContain('without a restart or shutdown request')
    expect(existsSync(join(k.kit, 'restart.fl'))).toBe(false)
    expect(runScript(k, 'stop_fl.sh', ['-y']).status).toBe(0)
    await expectProcesses(k.root, [])
  })

  it('ends the process and stops when shutdown.fl appears (the runtime shutting down, or stop_fl.sh)', async () => {
    const k = kit({ FAKE_MODE: 'run' })
    startSupervisor(k)
    const pid = await waitForRun(k, 1)
    writeFileSync(join(k.kit, 'shutdown.fl'), '')
    // the fake does not end by itself: after 10 s the supervisor sends SIGTERM (SIGKILL 10 s later)
    await expectProcesses(k.root, [])
    expect(alive(pid)).toBe(false)
    expect(log(k)).toContain(`sending SIGTERM to process ${pid}`)
    expect(log(k)).toContain('after a shutdown request; not restarting')
    expect(runs(k)).toHaveLength(1)
    for (const file of ['pid.fl', 'daemon_pid.fl', 'shutdown.fl'])
      expect(existsSync(join(k.kit, file))).toBe(false)
  })

  it('keeps the console log under 20 MiB, with one older copy', async () => {
    const k = kit({ FAKE_MODE: 'flood' })
    startSupervisor(k)
    const file = join(k.kit, 'console_log.txt')
    // the supervisor moves the copy into place and then empties the log: wait for both, not only the first
    const rotated = () => existsSync(`${file}.1`) && statSync(file).size < 20 * 1024 * 1024
    await waitFor(rotated, 'the log to be rotated and emptied')
    expect(statSync(`${file}.1`).size).toBeGreaterThan(20 * 1024 * 1024)
    expect(read(`${file}.1`)).toContain('started client site-1')
    expect(runScript(k, 'stop_fl.sh', ['-y']).status).toBe(0)
    expect(read(file)).toContain('stop signal received')
  })

  it('refuses to run a second supervisor for the same kit', async () => {
    const k = kit({ FAKE_MODE: 'run' })
    startSupervisor(k)
    await waitForRun(k, 1)
    const supervisor = daemonPid(k)
    const second = runScript(k, 'sub_start.sh')
    expect(second.status).toBe(1)
    expect(second.stdout).toContain(`already supervised by process ${supervisor}`)
    expect(daemonPid(k)).toBe(supervisor)
    expect(runScript(k, 'stop_fl.sh', ['-y']).status).toBe(0)
  })

  it('--once runs the process in the foreground, recorded in pid.fl', () => {
    const k = kit({ FAKE_MODE: 'die' })
    const r = runScript(k, 'sub_start.sh', ['--once'])
    expect(r.status).toBe(103)
    expect(r.stderr).toContain('ConfigError')
    expect(runs(k)).toHaveLength(1)
    expect(Number(read(join(k.kit, 'pid.fl')))).toBe(runs(k)[0])
  })
})
