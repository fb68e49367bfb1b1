import { spawn, spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** One JSON-lines child process run to its end, bounded by `timeoutMs`. */
export interface PythonRun {
  code: number | null
  events: Record<string, unknown>[]
  stdout: string
  stderr: string
}

export function runPython(
  python: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<PythonRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(new Error(`cannot run ${python}: ${e.message}`))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, events: parseJsonLines(stdout), stdout, stderr })
    })
  })
}

function parseJsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** A kit started with its own startup/start.sh, in a process group of its own. */
export interface StartedKit {
  name: string
  dir: string
  pgid: number
}

export function startKit(name: string, dir: string, env: NodeJS.ProcessEnv, logFd: number): StartedKit {
  const child = spawn('bash', [join(dir, 'startup', 'start.sh')], {
    cwd: dir,
    env,
    detached: true,
    stdio: ['ignore', logFd, logFd],
  })
  child.unref()
  if (child.pid === undefined) throw new Error(`${name}: start.sh did not start`)
  return { name, dir, pgid: child.pid }
}

const signalGroup = (pgid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pgid, signal)
  } catch {
    // the group is already gone
  }
}

/** Processes whose command line mentions `root` (NVFlare starts job processes in sessions of their own). */
function processesUnder(root: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(root)) pids.push(Number(entry))
    } catch {
      // it ended meanwhile
    }
  }
  return pids
}

/**
 * Stops what the test started, also after a failure: each kit's stop_fl.sh (answered "y", bounded),
 * then SIGTERM and SIGKILL to each kit's process group, then SIGKILL to any process still running from
 * `root` (job processes). Returns the pids that were still alive at the end (none, normally).
 */
export async function stopAll(kits: StartedKit[], root: string, env: NodeJS.ProcessEnv): Promise<number[]> {
  for (const kit of [...kits].reverse()) {
    spawnSync('bash', [join(kit.dir, 'startup', 'stop_fl.sh')], { env, input: 'y\n', timeout: 30_000 })
  }
  for (const kit of kits) signalGroup(kit.pgid, 'SIGTERM')
  await sleep(2000)
  for (const kit of kits) signalGroup(kit.pgid, 'SIGKILL')
  for (const pid of processesUnder(root)) signalGroup(pid, 'SIGKILL')
  for (const pid of processesUnder(root)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // gone
    }
  }
  await sleep(500)
  return processesUnder(root)
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
