import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ExitCode, ProvisionError } from '../../../errors.js'
import { CONSOLE_LOG } from '../../../provision/builders/static-scripts.js'
import { writeFileAtomic } from '../../../provision/fs/atomic.js'
import { FileMode } from '../../../provision/layout.js'
import { readKitFiles } from '../../../provision/verify/kit-files.js'
import type { RunEventSink } from './events.js'
import { interrupted } from './interrupted.js'
import type { ProcInfo } from './proc-scan.js'
import { fileSize, LogFollower, waitForRegistration } from './registration.js'
import { type LocalKit, runningProcesses, type StartedKit, startKit, stopKits } from './supervisor.js'

/** Our folder inside a prod_NN while a PoC federation runs from it: the record, start.sh output, python3. */
export const POC_RUN_DIR = 'poc-run'
const RECORD_FILE = 'processes.json'

/** The kits of a prod_NN that run on this machine, and its admin kits. */
export interface PocKits {
  prodDir: string
  server: LocalKit
  clients: LocalKit[]
  admins: string[]
}

/** The server, client and admin kits in `prodDir` (by their startup/fed_*.json). */
export function readPocKits(prodDir: string): PocKits {
  if (!existsSync(prodDir)) throw new ProvisionError('not-found', `${prodDir} does not exist`)
  const local: LocalKit[] = []
  const admins: string[] = []
  for (const name of readdirSync(prodDir).sort()) {
    const type = readKitFiles(join(prodDir, name)).type
    if (type === 'server' || type === 'client') local.push({ name, type, dir: join(prodDir, name) })
    if (type === 'admin') admins.push(name)
  }
  const servers = local.filter((k) => k.type === 'server')
  if (servers.length !== 1) {
    throw new ProvisionError('poc-kits', `${prodDir} holds ${servers.length} server kits; a PoC runs one`, {
      hint: 'point at a prod_NN folder that one provisioning run wrote',
    })
  }
  return { prodDir, server: servers[0]!, clients: local.filter((k) => k.type === 'client'), admins }
}

export const kitLog = (kit: Pick<LocalKit, 'dir'>): string => join(kit.dir, 'log.txt')

/** What `poc-run/processes.json` records of a running PoC federation. */
export interface PocRecord {
  prodDir: string
  startedAt: string
  python: string
  kits: (StartedKit & { logOffset: number })[]
}

export const recordFile = (prodDir: string): string => join(prodDir, POC_RUN_DIR, RECORD_FILE)

export function readRecord(prodDir: string): PocRecord | undefined {
  const file = recordFile(prodDir)
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PocRecord
  } catch (error) {
    throw new ProvisionError('poc-record', `${file} is not valid JSON`, {
      cause: error,
      hint: `stop the federation with provision poc stop, which reads the kits themselves, then remove ${file}`,
    })
  }
}

function writeRecord(record: PocRecord): void {
  mkdirSync(join(record.prodDir, POC_RUN_DIR), { recursive: true })
  writeFileAtomic(recordFile(record.prodDir), `${JSON.stringify(record, null, 2)}\n`, FileMode.file)
}

/** Refuses to start kits that already run (from an earlier start, or by hand). */
export function refuseRunning(kits: PocKits): void {
  const running = [...runningProcesses([kits.server, ...kits.clients])].filter(([, ps]) => ps.length > 0)
  if (running.length === 0) return
  const list = running.map(([name, ps]) => `${name} (pid ${ps.map((p) => p.pid).join(', ')})`)
  throw new ProvisionError('poc-running', `kits of ${kits.prodDir} are already running: ${list.join('; ')}`, {
    exitCode: ExitCode.conflict,
    hint: `stop them first: provision poc stop -w ${kits.prodDir}`,
  })
}

export interface StartFederation {
  kits: PocKits
  env: NodeJS.ProcessEnv
  python: string
  signal?: AbortSignal
  onEvent?: RunEventSink
}

/**
 * Starts the server, then every client (together), each from its own startup/start.sh, and records them
 * (pgid, log offset) in poc-run/processes.json. Whatever fails after the first start stops what was started.
 */
export async function startFederation(s: StartFederation): Promise<PocRecord> {
  refuseRunning(s.kits)
  const runDir = join(s.kits.prodDir, POC_RUN_DIR)
  mkdirSync(runDir, { recursive: true })
  const record: PocRecord = {
    prodDir: s.kits.prodDir,
    startedAt: new Date().toISOString(),
    python: s.python,
    kits: [],
  }
  const start = async (kit: LocalKit) => {
    const logOffset = fileSize(kitLog(kit))
    const started = await startKit(kit, s.env, join(runDir, `${kit.name}.out`))
    record.kits.push({ ...started, logOffset })
    writeRecord(record)
    s.onEvent?.({ type: 'kit-started', kit: kit.name, pgid: started.pgid })
  }
  try {
    if (s.signal?.aborted) throw interrupted('the federation was stopped')
    await start(s.kits.server)
    if (s.signal?.aborted) throw interrupted('the federation was stopped')
    // the clients together (each start.sh watches its process for a while); all settle before a failure counts
    const failed = (await Promise.allSettled(s.kits.clients.map(start))).find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
  } catch (error) {
    await stopFederation(record, { stopScriptMs: 10_000, env: s.env, kits: s.kits })
    throw error
  }
  return record
}

/** Where to look when clients do not register: each kit's log.txt, and its console log (the process's output). */
export function registrationHint(kits: PocKits): string {
  const logs = [kits.server, ...kits.clients].map(kitLog)
  return `read ${logs.join(', ')}, ${CONSOLE_LOG} beside each (the process's own output) and ${join(kits.prodDir, POC_RUN_DIR)}/*.out (start.sh's)`
}

/** Waits until every client kit has registered in the server log (bounded), failing early when a kit dies. */
export function awaitClients(
  record: PocRecord,
  kits: PocKits,
  timeoutSeconds: number,
  control: { signal?: AbortSignal; onEvent?: RunEventSink } = {},
): Promise<string[]> {
  const server = record.kits.find((k) => k.type === 'server')
  const expected = kits.clients.map((c) => c.name)
  return waitForRegistration({
    follower: new LogFollower(kitLog(kits.server), server?.logOffset ?? 0),
    expected,
    timeoutSeconds,
    logHint: registrationHint(kits),
    deadKit: () => {
      const running = runningProcesses(record.kits)
      return record.kits.find((k) => (running.get(k.name) ?? []).length === 0)?.name
    },
    onChange: (registered) => control.onEvent?.({ type: 'registration', registered, expected }),
    ...(control.signal ? { signal: control.signal } : {}),
  })
}

/** Stops every kit of the record (and of the prod_NN, when `kits` are given), then removes the record. */
export async function stopFederation(
  record: PocRecord | undefined,
  options: { stopScriptMs: number; env?: NodeJS.ProcessEnv; kits?: PocKits },
): Promise<ProcInfo[]> {
  const byName = new Map<string, LocalKit>()
  for (const k of record?.kits ?? []) byName.set(k.name, k)
  for (const k of options.kits ? [options.kits.server, ...options.kits.clients] : []) byName.set(k.name, k)
  const left = await stopKits([...byName.values()], {
    stopScriptMs: options.stopScriptMs,
    pgids: (record?.kits ?? []).map((k) => k.pgid),
    ...(options.env ? { env: options.env } : {}),
  })
  const prodDir = record?.prodDir ?? options.kits?.prodDir
  if (left.length === 0 && prodDir) rmSync(recordFile(prodDir), { force: true })
  return left
}
