import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ExitCode, ProvisionError } from '../../../errors.js'
import { Layout } from '../../../provision/layout.js'
import { hasProc, isRunning, kitProcesses, listProcesses, type ProcInfo } from './proc-scan.js'

/** A server or client kit that runs on this machine. */
export interface LocalKit {
  name: string
  type: 'server' | 'client'
  dir: string
}

/** A kit started by its own startup/start.sh, in a process group of its own. */
export interface StartedKit extends LocalKit {
  pgid: number
  /** start.sh's output. */
  outFile: string
}

/** start.sh watches the new process for FLARE_START_WAIT s (default 10), then up to 45 s in a failed start. */
const startScriptLimitMs = (env: NodeJS.ProcessEnv) => (Number(env['FLARE_START_WAIT'] ?? 10) + 90) * 1000
const TERM_GRACE_MS = 5000
const KILL_WAIT_MS = 3000

/**
 * Runs `<kit>/startup/start.sh` (which backgrounds NVFlare's process and returns) in a new session and
 * process group, its output appended to `outFile`. Throws a ProvisionError with that output when start.sh
 * fails (no nvflare for python3, for example), or does not return within a minute.
 */
export function startKit(kit: LocalKit, env: NodeJS.ProcessEnv, outFile: string): Promise<StartedKit> {
  const script = join(kit.dir, Layout.startup, 'start.sh')
  const fd = openSync(outFile, 'a')
  const child = spawn('bash', [script], { cwd: kit.dir, env, detached: true, stdio: ['ignore', fd, fd] })
  closeSync(fd)
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), startScriptLimitMs(env) || 100_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new ProvisionError('kit-start', `${kit.name}: cannot run ${script}: ${error.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0 && child.pid !== undefined) return resolve({ ...kit, pgid: child.pid, outFile })
      const output = existsSync(outFile) ? readFileSync(outFile, 'utf8').trim().split('\n').slice(-5) : []
      reject(
        new ProvisionError('kit-start', `${kit.name}: ${script} failed (${code ?? signal})`, {
          problems: output,
          hint: `read ${outFile} and ${join(kit.dir, 'log.txt')}`,
          exitCode: ExitCode.failed,
        }),
      )
    })
  })
}

/** The running processes of the kits (see kitProcesses), by kit name. */
export function runningProcesses(kits: readonly Pick<LocalKit, 'name' | 'dir'>[]): Map<string, ProcInfo[]> {
  const all = listProcesses()
  return new Map(kits.map((k) => [k.name, kitProcesses(k.dir, all)]))
}

export interface StopOptions {
  env?: NodeJS.ProcessEnv
  /** Milliseconds each kit's stop_fl.sh may take. */
  stopScriptMs: number
  /** Process groups to signal too (where there is no /proc to find the processes by). */
  pgids?: number[]
}

/**
 * Stops kits: each kit's stop_fl.sh -y (clients together, then the server), then SIGTERM to every process
 * the kits still have (and to the recorded groups), SIGKILL to what remains after a grace period. Returns
 * the processes still running at the end (none, normally).
 */
export async function stopKits(kits: readonly LocalKit[], options: StopOptions): Promise<ProcInfo[]> {
  const before = [...runningProcesses(kits).values()].flat()
  const clients = kits.filter((k) => k.type !== 'server')
  await Promise.all(clients.map((k) => runStopScript(k, options)))
  await Promise.all(kits.filter((k) => k.type === 'server').map((k) => runStopScript(k, options)))
  const seen = new Map(before.map((p) => [p.pid, p]))
  for (const p of [...runningProcesses(kits).values()].flat()) seen.set(p.pid, p)
  const targets = () => [...seen.values()].filter(isRunning)
  signalAll(targets(), options.pgids, 'SIGTERM')
  await waitUntil(() => targets().length === 0, TERM_GRACE_MS)
  signalAll(targets(), options.pgids, 'SIGKILL')
  await waitUntil(() => targets().length === 0, KILL_WAIT_MS)
  for (const p of [...runningProcesses(kits).values()].flat()) seen.set(p.pid, p)
  return targets()
}

function runStopScript(kit: LocalKit, options: StopOptions): Promise<void> {
  const script = join(kit.dir, Layout.startup, 'stop_fl.sh')
  if (!existsSync(script)) return Promise.resolve()
  return new Promise((resolve) => {
    // stop_fl.sh escalates to SIGKILL after FLARE_STOP_WAIT s: within our limit
    const wait = Math.max(1, Math.floor(options.stopScriptMs / 1000))
    const child = spawn('bash', [script, '-y'], {
      cwd: kit.dir,
      env: { ...(options.env ?? process.env), FLARE_STOP_WAIT: String(wait) },
      stdio: ['pipe', 'ignore', 'ignore'],
      detached: true,
    })
    child.stdin.end('y\n') // older stop_fl.sh ask even with -y
    const timer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.stopScriptMs + 10_000)
    child.on('error', () => resolve())
    child.on('close', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

function signalAll(processes: ProcInfo[], pgids: number[] | undefined, signal: NodeJS.Signals): void {
  for (const p of processes) {
    try {
      process.kill(p.pid, signal)
    } catch {
      // ended meanwhile
    }
  }
  if (!hasProc()) for (const pgid of pgids ?? []) signalGroup(pgid, signal)
}

function signalGroup(pgid: number | undefined, signal: NodeJS.Signals): void {
  if (pgid === undefined) return
  try {
    process.kill(-pgid, signal)
  } catch {
    // the group has ended
  }
}

async function waitUntil(done: () => boolean, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
}
