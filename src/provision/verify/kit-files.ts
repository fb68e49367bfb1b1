import { lstatSync, readdirSync, readlinkSync, type Stats } from 'node:fs'
import { join, relative } from 'node:path'
import { ReadLimit, readTextBounded } from '../fs/read-bounded.js'
import { type KitKind, kitKindOf } from '../kit-kinds.js'
import { Layout } from '../layout.js'
import type { ParticipantType } from '../project/types.js'

/** What `provision verify` reads from a kit. */
export interface KitFiles {
  dir: string
  /** The kit's kind (KIT_KINDS), told by its startup/fed_*.json. */
  kind: KitKind | undefined
  type: ParticipantType | undefined
  startup: string
  /** The kit's own certificate and key file names in startup/. */
  certFile: string
  keyFile: string
  fedConfig: Record<string, unknown> | undefined
}

export function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(readKitText(path)) as unknown
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

export function readKitFiles(dir: string): KitFiles {
  const startup = join(dir, Layout.startup)
  const kind = kitKindOf(dir)
  return {
    dir,
    kind,
    type: kind?.type,
    startup,
    certFile: kind?.cert ?? Layout.clientCert,
    keyFile: kind?.key ?? Layout.clientKey,
    fedConfig: kind ? readJson(join(startup, kind.fedConfig)) : undefined,
  }
}

/** A kit file as text: a regular file (not a link) of at most ReadLimit.kitFile; `what` names it in errors. */
export function readKitText(path: string, what = 'kit file'): string {
  return readTextBounded(path, { what, maxBytes: ReadLimit.kitFile, noFollow: true })
}

/** A kit file's text, or undefined when it is missing, not a regular file, or too large. */
export function readText(path: string): string | undefined {
  try {
    return readKitText(path)
  } catch {
    return undefined
  }
}

/** A folder that is not a symbolic link. */
export function isRealDir(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false
}

/** What a kit holds: its regular files, and what it must not hold (links, devices, FIFOs, sockets). */
export interface KitTree {
  files: string[]
  /** Relative paths of refused entries, each with what it is: `startup (a symbolic link to /x)`. */
  refused: string[]
}

/** A kit has a few dozen entries; a tree far larger or deeper is not a kit and is not walked on. */
const MAX_KIT_ENTRIES = 100_000
const MAX_KIT_DEPTH = 32

function refusedEntry(path: string, st: Stats): string {
  if (st.isSymbolicLink()) {
    let to = '?'
    try {
      to = readlinkSync(path)
    } catch {
      // unreadable link: still refused
    }
    return `a symbolic link to ${to}`
  }
  return st.isFIFO() ? 'a named pipe' : st.isSocket() ? 'a socket' : 'a device or special file'
}

/** Walks a kit without following any link (lstat), sorted, bounded in size and depth. */
export function listKitTree(kitDir: string): KitTree {
  const tree: KitTree = { files: [], refused: [] }
  let seen = 0
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name)
      const st = lstatSync(path)
      if (++seen > MAX_KIT_ENTRIES || depth > MAX_KIT_DEPTH) {
        tree.refused.push(
          `${relative(kitDir, dir)} (more than ${MAX_KIT_ENTRIES} entries or ${MAX_KIT_DEPTH} levels)`,
        )
        return
      }
      if (st.isDirectory()) walk(path, depth + 1)
      else if (st.isFile()) tree.files.push(path)
      else tree.refused.push(`${relative(kitDir, path)} (${refusedEntry(path, st)})`)
      if (seen > MAX_KIT_ENTRIES) return
    }
  }
  walk(kitDir, 0)
  return tree
}

/** A nested string property, e.g. `prop(cfg, 'admin', 'username')`. */
export function prop(obj: unknown, ...path: (string | number)[]): unknown {
  let cur = obj
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined
    cur = (cur as Record<string | number, unknown>)[key]
  }
  return cur
}
