import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { isProvisionError } from '../errors.js'
import type { Builder } from './builder.js'
import { createBuilders } from './builders/create.js'
import { createContext, type HeSummary, type ProvisionOptions, type RunContext } from './context.js'
import type { EventSink } from './events.js'
import { removeStaleTemps } from './fs/atomic.js'
import { commitTogether } from './fs/commit.js'
import { removeIfEmpty } from './fs/dirs.js'
import { fsErrorOf } from './fs/fs-error.js'
import { refuseSymlink, resolveInside } from './fs/safe-path.js'
import { throwIfInterrupted } from './interrupt.js'
import { FileMode, Layout, prodDirName } from './layout.js'
import { acquireLock } from './lock.js'
import { runKeys } from './pki/key-pool.js'
import type { KeyMethod, KeySource } from './pki/key-source.js'
import type { ParticipantType, Project } from './project/types.js'
import { checkProjectForTarget } from './targets/check-project.js'
import { type RunTarget, readStoredTarget, resolveTarget, serializeTarget } from './targets/state-target.js'
import { type NvflareVersion, parseNvflareVersion } from './targets/version.js'
import { makeDirs, nextProdIndex, refuseWorkspaceLinks } from './workspace.js'

/** What `provision` takes: a loaded project, the workspace folder, and the run's options. */
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
  /**
   * Where the private keys come from. A KeySource of yours is used as it is, and you close it (one source can
   * serve several runs). A method (`'openssl'` or `'prime-search'`), or nothing for the default
   * (DEFAULT_KEY_METHOD, the prime search: faster than OpenSSL 3.5's generator), gives the run a worker pool
   * of its own, with at most one worker per key and per core, closed when the certificates are made.
   */
  keySource?: KeySource | KeyMethod
}

/** What `provision` wrote: the new `prod_NN` folder, one entry per kit, the HE summary and the target. */
export interface ProvisionResult {
  projectDir: string
  prodDir: string
  kits: { name: string; type: ParticipantType; dir: string }[]
  he: HeSummary | undefined
  /** The NVFlare version the kits were written for, and where that came from. */
  target: RunTarget
  /** The name of the run's key source (`openssl-3.5.1`, `prime-search`, or a KeySource's own name). */
  keySource: string
}

/**
 * Runs the builders of a project: every kit is built in `wip/`, which becomes the next `prod_NN` only
 * when every builder succeeded, together with the state files (commitTogether: both or neither). On any
 * failure `wip/` is removed and the workspace is left as it was. Symbolic links at the project folder,
 * state/, wip/ or a prod_NN are refused before anything is written.
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
    refuseSymlink(projectDir, 'the project folder') // before the lock file is written into it
    release = acquireLock(join(projectDir, Layout.lockFile), now())
    refuseWorkspaceLinks(projectDir)
    const stateDir = join(projectDir, Layout.stateDir)
    const target = resolveTarget(requested, readStoredTarget(stateDir))
    checkProjectForTarget(req.project, target.version)
    const ctx = newContext(req, options, projectDir, now, target.version)
    removeStaleTemps(ctx.stateDir) // left by a run killed while it wrote state
    ctx.stageState(Layout.targetStateFile, serializeTarget(target.version))
    return { ...(await runInWip(ctx, builders)), target, keySource: ctx.keys.source.name }
  } catch (error) {
    release?.()
    release = undefined
    for (const dir of created.reverse()) removeIfEmpty(dir)
    throw fsErrorOf(error)
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
): RunContext {
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
    keys: runKeys(req.keySource),
  })
}

async function runInWip(
  ctx: RunContext,
  builders: Builder[],
): Promise<Omit<ProvisionResult, 'target' | 'keySource'>> {
  rmSync(ctx.wipDir, { recursive: true, force: true }) // left by a run that was killed
  mkdirSync(ctx.wipDir, { mode: FileMode.dir })
  try {
    await runLifecycle(builders, ctx)
    throwIfInterrupted(ctx.signal)
    ctx.emit({ type: 'stage', stage: 'commit', builder: 'provisioner' })
    commitTogether({
      dir: ctx.stateDir,
      dirMode: FileMode.secretDir,
      files: ctx.stagedState,
      fileMode: FileMode.secret,
      rename: { from: ctx.wipDir, to: ctx.prodDir },
    })
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
export async function runLifecycle(builders: Builder[], ctx: RunContext): Promise<void> {
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

/**
 * A user-fixable error passes as it is (a full disk or a read-only folder becomes one); anything else is
 * a bug, wrapped with its cause.
 */
function wrapFailure(error: unknown): unknown {
  const fs = fsErrorOf(error)
  if (isProvisionError(fs)) return fs
  const message = error instanceof Error ? error.message : String(error)
  return new Error(`provisioning failed: ${message}`, { cause: error })
}
