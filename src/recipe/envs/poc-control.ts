import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { ProvisionError } from '../../errors.js'
import { Layout } from '../../provision/layout.js'
import type { RunEventSink } from './runtime/events.js'
import {
  awaitClients,
  kitLog,
  POC_RUN_DIR,
  type PocKits,
  readPocKits,
  readRecord,
  startFederation,
  stopFederation,
} from './runtime/poc-federation.js'
import { newestProdDir } from './runtime/poc-project.js'
import { choosePython, kitEnvironment } from './runtime/python.js'
import { joinedClient, LogFollower } from './runtime/registration.js'
import { runningProcesses } from './runtime/supervisor.js'
import { type RunTimeouts, resolveTimeouts } from './runtime/timeouts.js'
import { checkRuntime } from './runtime.js'

/**
 * The prod_NN a PoC command acts on: `dir` itself when it holds a server kit, else the newest prod_NN of
 * `dir` (a project folder), else of the one project folder in `dir` (a workspace).
 */
export function resolvePocDir(dir: string): string {
  if (!existsSync(dir)) throw new ProvisionError('not-found', `${dir} does not exist`)
  const hasServer = readdirSync(dir).some((n) => existsSync(join(dir, n, Layout.startup, Layout.fedServer)))
  if (hasServer) return dir
  const own = newestProdDir(dir)
  if (own) return own
  const projects = readdirSync(dir).filter((n) => newestProdDir(join(dir, n)) !== undefined)
  if (projects.length === 1) return newestProdDir(join(dir, projects[0]!))!
  throw new ProvisionError(
    projects.length === 0 ? 'not-found' : 'bad-option',
    projects.length === 0
      ? `${dir} holds no provisioned project (no prod_NN folder)`
      : `${dir} holds several projects: ${projects.join(', ')}`,
    { hint: 'point -w at a project folder (<workspace>/<project>) or at a prod_NN folder' },
  )
}

/** One kit of a local federation: its pid, whether it runs and whether it registered. */
export interface PocKitStatus {
  name: string
  type: 'server' | 'client'
  /** The kit's running processes (its NVFlare process, start scripts, job processes). */
  pids: number[]
  /** Clients: registered with the server since it was started (by its log); null for the server. */
  registered: boolean | null
  log: string
}

/** What `provision poc status` reports: every kit of the newest prod_NN. */
export interface PocStatus {
  prodDir: string
  kits: PocKitStatus[]
  /** Whether poc-run/processes.json records a start (else registrations are read from the whole log). */
  recorded: boolean
}

/** What runs of the PoC federation in `prodDir`: pids per kit, and which clients have registered. */
export function pocStatus(prodDir: string): PocStatus {
  const kits = readPocKits(prodDir)
  const record = readRecord(prodDir)
  const offset = record?.kits.find((k) => k.type === 'server')?.logOffset ?? 0
  const joined = new Set(
    new LogFollower(kitLog(kits.server), offset)
      .newLines()
      .map(joinedClient)
      .filter((n) => n !== undefined),
  )
  const all = [kits.server, ...kits.clients]
  const running = runningProcesses(all)
  const serverUp = (running.get(kits.server.name) ?? []).length > 0
  return {
    prodDir,
    recorded: record !== undefined,
    kits: all.map((k) => ({
      name: k.name,
      type: k.type,
      pids: (running.get(k.name) ?? []).map((p) => p.pid),
      registered: k.type === 'client' ? serverUp && joined.has(k.name) : null,
      log: kitLog(k),
    })),
  }
}

/** Options of startPoc: interpreter, environment and time limits. */
export interface StartPocOptions {
  prodDir: string
  python?: string
  env?: NodeJS.ProcessEnv
  timeouts?: Partial<RunTimeouts>
  signal?: AbortSignal
  onEvent?: RunEventSink
}

/**
 * Starts every server and client kit of `prodDir` on this machine (server first) and waits until every
 * client has registered; the federation is left running (stop it with stopPoc). Checks first that the
 * interpreter imports nvflare (and tenseal, for HE kits). On failure or abort it stops what it started.
 */
export async function startPoc(o: StartPocOptions): Promise<PocStatus> {
  const kits = readPocKits(o.prodDir)
  const timeouts = resolveTimeouts(o.timeouts)
  const python = choosePython(o.python, o.env)
  const he = existsSync(join(kits.server.dir, Layout.startup, Layout.serverContext))
  const control = { ...(o.signal ? { signal: o.signal } : {}), ...(o.onEvent ? { onEvent: o.onEvent } : {}) }
  const check = await checkRuntime({
    python: python.command,
    require: he ? ['tenseal'] : [],
    ...(o.env ? { env: o.env } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  })
  o.onEvent?.({ type: 'runtime', python: check.python, modules: check.modules })
  const env = kitEnvironment(python, join(o.prodDir, POC_RUN_DIR, 'bin'), o.env)
  const record = await startFederation({ kits, env, python: check.python, ...control })
  try {
    await awaitClients(record, kits, timeouts.registration, control)
  } catch (error) {
    await stopFederation(record, { stopScriptMs: timeouts.stop * 1000, env, kits })
    throw error
  }
  return pocStatus(o.prodDir)
}

/** What stopPoc stopped, and what it could not. */
export interface StopPocResult {
  prodDir: string
  /** The processes that ran before the stop, by kit. */
  stopped: { name: string; pids: number[] }[]
  /** Pids still running after it (none, normally). */
  left: number[]
}

/** Stops every server and client kit of `prodDir` (recorded or started by hand) and their job processes. */
export async function stopPoc(prodDir: string, timeouts: Partial<RunTimeouts> = {}): Promise<StopPocResult> {
  const kits: PocKits = readPocKits(prodDir)
  const before = runningProcesses([kits.server, ...kits.clients])
  const left = await stopFederation(readRecord(prodDir), {
    stopScriptMs: resolveTimeouts(timeouts).stop * 1000,
    kits,
  })
  const stopped = [...before].map(([name, ps]) => ({ name, pids: ps.map((p) => p.pid) }))
  return { prodDir, stopped, left: left.map((p) => p.pid) }
}
