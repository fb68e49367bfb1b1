import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { isProvisionError, ProvisionError } from '../errors.js'
import type { Builder } from './builder.js'
import { createBuilders } from './builders/create.js'
import { createContext, type HeSummary, type ProvisionContext, type ProvisionOptions } from './context.js'
import type { EventSink } from './events.js'
import { fsyncDir, removeStaleTemps, writeFileAtomic } from './fs/atomic.js'
import { resolveInside } from './fs/safe-path.js'
import { throwIfInterrupted } from './interrupt.js'
import { FileMode, Layout, prodDirIndex, prodDirName } from './layout.js'
import { acquireLock } from './lock.js'
import type { ParticipantType, Project } from './project/types.js'
import { checkProjectForTarget } from './targets/check-project.js'
import { type RunTarget, readStoredTarget, resolveTarget, serializeTarget } from './targets/state-target.js'
import { type NvflareVersion, parseNvflareVersion } from './targets/version.js'

export interface ProvisionRequest {
  project: Project
  /** The folder that holds `<project name>/`. */
  workspace: string
  options?: Partial<ProvisionOptions>
  now?: () => Date
  onEvent?: EventSink
  /** Stops the run (between steps, and while it waits for keys); wip/ is removed as after any failure. */
  signal?: AbortSignal
  /**
   * The NVFlare version the kits are for. Default: the one state/ kept from the last run, else
   * DEFAULT_NVFLARE_VERSION. The run keeps its target in state/ for the next.
   */
  nvflareVersion?: NvflareVersion
}

export interface ProvisionResult {
  projectDir: string
  prodDir: string
  kits: { name: string; type: ParticipantType; dir: string }[]
  he: HeSummary | undefined
  /** The NVFlare version the kits were written for, and where that came from. */
  target: RunTarget
}

/**
 * Runs the builders of a project: every kit is built in `wip/`, which becomes the next `prod_NN` only
 * when every builder succeeded; state files are written (atomically) just before that rename. On any
 * failure `wip/` is removed and the workspace is left as it was.
 */
export async function provision(req: ProvisionRequest): Promise<ProvisionResult> {
  const now = req.now ?? (() => new Date())
  const options: ProvisionOptions = { genScripts: false, zip: false, rotateHeKey: false, ...req.options }
  // A library caller may pass any string: checked like the CLI flag (a patch release maps onto its line).
  const requested =
    req.nvflareVersion === undefined
      ? undefined
      : parseNvflareVersion(String(req.nvflareVersion), 'nvflareVersion')
  const builders = await createBuilders(req.project, options) // bad builder args fail before any write
  const projectDir = resolveInside(req.workspace, req.project.name)
  const created = makeDirs(projectDir)
  let release: (() => void) | undefined
  try {
    release = acquireLock(join(projectDir, Layout.lockFile), now())
    const stateDir = join(projectDir, Layout.stateDir)
    const target = resolveTarget(requested, readStoredTarget(stateDir))
    checkProjectForTarget(req.project, target.version)
    const ctx = newContext(req, options, projectDir, now, target.version)
    removeStaleTemps(ctx.stateDir) // left by a run killed while it wrote state
    ctx.stageState(Layout.targetStateFile, serializeTarget(target.version))
    return { ...(await runInWip(ctx, builders)), target }
  } catch (error) {
    release?.()
    release = undefined
    for (const dir of created.reverse()) removeIfEmpty(dir)
    throw error
  } finally {
    release?.()
  }
}

function newContext(
  req: ProvisionRequest,
  options: ProvisionOptions,
  projectDir: string,
  now: () => Date,
  target: NvflareVersion,
): ProvisionContext {
  return createContext({
    project: req.project,
    options,
    target,
    projectDir,
    stateDir: join(projectDir, Layout.stateDir),
    wipDir: join(projectDir, Layout.wipDir),
    prodDir: join(projectDir, prodDirName(nextProdIndex(projectDir))),
    now,
    onEvent: req.onEvent ?? (() => {}),
    signal: req.signal,
  })
}

async function runInWip(
  ctx: ProvisionContext,
  builders: Builder[],
): Promise<Omit<ProvisionResult, 'target'>> {
  rmSync(ctx.wipDir, { recursive: true, force: true }) // left by a run that was killed
  mkdirSync(ctx.wipDir, { mode: FileMode.dir })
  try {
    await runLifecycle(builders, ctx)
    throwIfInterrupted(ctx.signal)
    ctx.emit({ type: 'stage', stage: 'commit', builder: 'provisioner' })
    commitState(ctx)
    renameSync(ctx.wipDir, ctx.prodDir)
    fsyncDir(ctx.projectDir)
  } finally {
    rmSync(ctx.wipDir, { recursive: true, force: true })
  }
  return {
    projectDir: ctx.projectDir,
    prodDir: ctx.prodDir,
    kits: ctx.project.participants.map((p) => ({
      name: p.name,
      type: p.type,
      dir: join(ctx.prodDir, p.name),
    })),
    he: ctx.he,
  }
}

/** initialize and build in order, finalize in reverse; the first error is rethrown. */
export async function runLifecycle(builders: Builder[], ctx: ProvisionContext): Promise<void> {
  const started: Builder[] = []
  let failure: unknown
  try {
    for (const b of builders) {
      throwIfInterrupted(ctx.signal)
      started.push(b)
      ctx.emit({ type: 'stage', stage: 'initialize', builder: b.name })
      await b.initialize?.(ctx)
    }
    for (const b of builders) {
      throwIfInterrupted(ctx.signal)
      ctx.emit({ type: 'stage', stage: 'build', builder: b.name })
      await b.build(ctx)
    }
  } catch (error) {
    failure = error
  }
  for (const b of started.reverse()) {
    try {
      if (b.finalize) ctx.emit({ type: 'stage', stage: 'finalize', builder: b.name })
      await b.finalize?.(ctx)
    } catch (error) {
      failure ??= error
    }
  }
  if (failure !== undefined) throw wrapFailure(failure)
}

/** A user-fixable error passes as it is; anything else is a bug, wrapped with its cause. */
function wrapFailure(error: unknown): unknown {
  if (isProvisionError(error)) return error
  const message = error instanceof Error ? error.message : String(error)
  return new Error(`provisioning failed: ${message}`, { cause: error })
}

/** Writes every staged state file atomically, 0600, in a 0700 state/ folder. */
function commitState(ctx: ProvisionContext): void {
  if (ctx.stagedState.size === 0) return
  mkdirSync(ctx.stateDir, { recursive: true, mode: FileMode.secretDir })
  chmodSync(ctx.stateDir, FileMode.secretDir)
  for (const [name, data] of ctx.stagedState) {
    writeFileAtomic(resolveInside(ctx.stateDir, name), data, FileMode.secret)
  }
}

function nextProdIndex(projectDir: string): number {
  const indexes = readdirSync(projectDir)
    .map(prodDirIndex)
    .filter((i): i is number => i !== undefined)
  return indexes.length === 0 ? 0 : Math.max(...indexes) + 1
}

/** mkdir -p that reports which folders it made, so that a failed run can remove them again. */
function makeDirs(dir: string): string[] {
  const missing: string[] = []
  for (let d = dir; !existsSync(d); d = join(d, '..')) missing.unshift(d)
  try {
    for (const d of missing) mkdirSync(d, { mode: FileMode.dir })
  } catch (cause) {
    throw new ProvisionError('workspace-unwritable', `cannot create the workspace folder ${dir}`, {
      cause,
      hint: 'Choose another folder with -w DIR, or check its permissions.',
    })
  }
  return missing
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir)
  } catch {
    // not empty or already gone: leave it
  }
}
