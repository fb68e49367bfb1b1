import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Capability } from './capabilities.js'
import type { EventSink, ProvisionEvent } from './events.js'
import { fsError } from './fs/fs-error.js'
import { resolveInside } from './fs/safe-path.js'
import { writeFileWhole } from './fs/write-whole.js'
import { FileMode, SIGNED_FOLDERS } from './layout.js'
import type { RunKeys } from './pki/key-pool.js'
import type { Participant, Project } from './project/types.js'
import { DEFAULT_NVFLARE_VERSION, type NvflareVersion } from './targets/version.js'

/** A certificate and its private key, both PEM. */
export interface Credential {
  certPem: string
  keyPem: string
}

/** What the cert builder hands to later builders (signature, HE, verify). */
export interface PkiMaterial {
  root: Credential
  /** By participant name. */
  participants: Map<string, Credential>
  /** Listener certificates (listening_host), by participant name. */
  listeners: Map<string, Credential>
}

/** What the HE builder reports (for the summary and for later builders). */
export interface HeSummary {
  scheme: 'CKKS' | 'BFV'
  polyModulusDegree: number
  coeffModBitSizes: number[]
  scaleBits: number
  /** True when the secret key came from state/ rather than being made in this run. */
  reusedKey: boolean
}

/**
 * What builders hand to later builders, by the capability that provides it. A builder whose factory
 * requires one gets it non-optional in build() (BuildContext); the builder that provides it calls
 * `ctx.provide`.
 */
export interface Materials {
  pki: PkiMaterial
  he: HeSummary
}

export type Material = keyof Materials & Capability

/** The materials provided so far: each one undefined until its builder has built. */
type MaterialSlots = { readonly [K in Material]: Materials[K] | undefined }

/** Switches of one provision run (the CLI flags `-s`, `--zip`, `--rotate-he-key`); all default to false. */
export interface ProvisionOptions {
  /** Write `start_all.sh` (`-s`). */
  genScripts: boolean
  /** One zip per kit (`--zip`). */
  zip: boolean
  /** Allow new HE parameters on a workspace that has an HE key (`--rotate-he-key`). */
  rotateHeKey: boolean
}

/** A file's size and modification time, to tell whether it changed since it was written. */
export interface FileStamp {
  size: number
  mtimeMs: number
}

/**
 * What every builder step sees: initialize() and finalize() get it as it is (no material is guaranteed
 * there), build() as a BuildContext.
 */
export interface ProvisionContext extends MaterialSlots {
  readonly project: Project
  readonly options: ProvisionOptions
  /** The NVFlare version the kits are written for: builders read its KitTable (targets/kit-table.ts). */
  readonly target: NvflareVersion
  /** `<workspace>/<project name>` */
  readonly projectDir: string
  /** `<projectDir>/state` */
  readonly stateDir: string
  /** `<projectDir>/wip`: every kit is built here, then renamed to `prodDir`. */
  readonly wipDir: string
  /** The `prod_NN` folder this run will become. */
  readonly prodDir: string
  readonly now: () => Date
  /** Aborted when the run should stop (Ctrl-C): builders check it in long waits. */
  readonly signal: AbortSignal
  /** Where the cert builder gets private keys, and whether it closes that source when it is done. */
  readonly keys: RunKeys
  emit(event: ProvisionEvent): void
  /** Absolute path of a participant's kit folder inside wip/. */
  kitDir(participant: Participant | string): string
  /**
   * Writes a file into wip/ (a kit or the top level), creating folders; refuses paths outside wip/. The
   * bytes must not change afterwards: the signature builder signs a kit file from this data (no copy is
   * kept, so one HE context buffer serves every client kit).
   */
  writeFile(relPath: string, data: string | Uint8Array, mode?: number): string
  /**
   * What `writeFile` last wrote to `absPath` (a file directly in a kit's startup/ or local/) in this run,
   * handed over once, so that the signature builder need not read the file back. Undefined when the file
   * was written otherwise, or when `now` (its size and mtime) shows it changed since.
   */
  takeWritten(absPath: string, now: FileStamp): string | Uint8Array | undefined
  /** A state file to write atomically (0600) once every builder has succeeded. */
  stageState(fileName: string, data: string | Uint8Array): void
  readonly stagedState: ReadonlyMap<string, string | Uint8Array>
}

/** The context of a run as the provisioner holds it: materials are provided into it. */
export interface RunContext extends ProvisionContext {
  /** Hands a material to later builders; each is provided once. */
  provide<K extends Material>(key: K, value: Materials[K]): void
}

/**
 * What build() of a builder that requires `R` and provides `P` sees: each material in `R` is there
 * (the loader refused a project without its provider), and only those in `P` can be provided.
 */
export type BuildContext<R extends Capability, P extends Capability> = ProvisionContext & {
  readonly [K in R & Material]: Materials[K]
} & { provide<K extends P & Material>(key: K, value: Materials[K]): void }

/** True when every material in `requires` has been provided (the check before a builder's build()). */
export function hasMaterials<C extends ProvisionContext, R extends Capability>(
  ctx: C,
  requires: readonly R[],
): ctx is C & { readonly [K in R & Material]: Materials[K] } {
  return requires.every((key) => !isMaterial(key) || ctx[key] !== undefined)
}

const MATERIALS: Record<Material, true> = { pki: true, he: true }

export function isMaterial(key: Capability): key is Material {
  return key in MATERIALS
}

export interface ContextInit {
  project: Project
  options: ProvisionOptions
  /** Default: DEFAULT_NVFLARE_VERSION. */
  target?: NvflareVersion
  projectDir: string
  stateDir: string
  wipDir: string
  prodDir: string
  now: () => Date
  onEvent: EventSink
  signal?: AbortSignal
  keys: RunKeys
}

/** A file the signature builder signs: directly in one of a kit's SIGNED_FOLDERS. */
const SIGNED_FILE = new RegExp(`^[^/]+/(${SIGNED_FOLDERS.join('|')})/[^/]+$`)

/** Writes `data` whole to `path` with exactly `mode`; with `stamp`, returns size and mtime. */
function writeWithMode(path: string, data: string | Uint8Array, mode: number, stamp: boolean) {
  try {
    return writeFileWhole(path, data, mode, { stamp })
  } catch (error) {
    throw fsError(error, path, 'write')
  }
}

export function createContext(init: ContextInit): RunContext {
  const staged = new Map<string, string | Uint8Array>()
  const madeDirs = new Set<string>() // folders already made in wip/: one mkdir each, not one per file
  const written = new Map<string, { data: string | Uint8Array; stamp: FileStamp }>()
  const materials: Partial<Materials> = {}
  return {
    project: init.project,
    options: init.options,
    target: init.target ?? DEFAULT_NVFLARE_VERSION,
    projectDir: init.projectDir,
    stateDir: init.stateDir,
    wipDir: init.wipDir,
    prodDir: init.prodDir,
    now: init.now,
    signal: init.signal ?? new AbortController().signal,
    keys: init.keys,
    emit: init.onEvent,
    kitDir: (p) => resolveInside(init.wipDir, typeof p === 'string' ? p : p.name),
    writeFile(relPath, data, mode = FileMode.file) {
      const target = resolveInside(init.wipDir, relPath)
      const dir = dirname(target)
      if (!madeDirs.has(dir)) {
        try {
          mkdirSync(dir, { recursive: true, mode: FileMode.dir })
        } catch (error) {
          throw fsError(error, dir, 'create the folder')
        }
        madeDirs.add(dir)
      }
      const stamp = writeWithMode(target, data, mode, SIGNED_FILE.test(relPath))
      if (stamp) written.set(target, { data, stamp })
      return target
    },
    takeWritten(absPath, now) {
      const entry = written.get(absPath)
      written.delete(absPath)
      const same = entry && entry.stamp.size === now.size && entry.stamp.mtimeMs === now.mtimeMs
      return same ? entry.data : undefined
    },
    stageState(fileName, data) {
      resolveInside(init.stateDir, fileName)
      staged.set(fileName, data)
    },
    stagedState: staged,
    get pki() {
      return materials.pki
    },
    get he() {
      return materials.he
    },
    provide(key, value) {
      if (materials[key] !== undefined) throw new Error(`${key} was provided twice in one run`)
      materials[key] = value
    },
  }
}
