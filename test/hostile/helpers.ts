import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = join(REPO, 'bin', 'provision.js')
const MAIN = join(REPO, 'dist', 'cli', 'main.js')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs)
  }
  return newest
}

/**
 * Builds dist/ when it is missing or older than src/ (CI builds it through `npm ci`). A folder in the temp
 * dir serializes builds between test files running at the same time.
 */
export async function ensureBuilt(): Promise<void> {
  const lock = join(tmpdir(), 'fedforge-build.lock')
  for (let i = 0; i < 600; i++) {
    try {
      mkdirSync(lock)
      break
    } catch {
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  try {
    if (existsSync(MAIN) && statSync(MAIN).mtimeMs >= newestMtime(join(REPO, 'src'))) return
    spawnSync('npm', ['run', 'build'], { cwd: REPO, stdio: 'ignore', timeout: 300_000 })
    if (!existsSync(MAIN)) throw new Error('npm run build did not produce dist/cli/main.js')
  } finally {
    rmdirSync(lock)
  }
}

export interface BinResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Starts the built bin; stdin is not a terminal. */
export function startBin(args: string[], cwd: string): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
}

/** Runs the built bin to its end, killed (SIGKILL) after `timeoutMs`. */
export function runBin(args: string[], cwd: string, timeoutMs = 120_000): Promise<BinResult> {
  const child = startBin(args, cwd)
  return collect(child, timeoutMs)
}

export function collect(child: ChildProcess, timeoutMs = 120_000): Promise<BinResult> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString('utf8')
  })
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString('utf8')
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}

/** Runs `tasks` with at most `limit` at a time, results in order. */
export async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++
      results[i] = await tasks[i]!()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}

export { useTempDir } from '../helpers/temp.js'

/** Sorted `path size mode` lines of every entry under `root` (empty when it does not exist). */
export function snapshot(root: string): string[] {
  if (!existsSync(root)) return []
  const out: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      const st = statSync(path)
      out.push(
        `${relative(root, path)} ${entry.isDirectory() ? 'dir' : st.size} ${(st.mode & 0o777).toString(8)}`,
      )
      if (entry.isDirectory()) walk(path)
    }
  }
  walk(root)
  return out.sort()
}

/** Every file under `root`, as absolute paths. */
export function listFiles(root: string): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else out.push(path)
    }
  }
  if (existsSync(root)) walk(root)
  return out.sort()
}

/** A stack trace line as Node prints it. */
export const STACK_LINE = /^\s+at .+[:(]/m
