import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Layout } from '../layout.js'
import type { ParticipantType } from '../project/types.js'

/** What `provision verify` reads from a kit. */
export interface KitFiles {
  dir: string
  type: ParticipantType | undefined
  startup: string
  /** The kit's own certificate and key file names in startup/. */
  certFile: string
  keyFile: string
  fedConfig: Record<string, unknown> | undefined
}

const FED_FILES: [ParticipantType, string][] = [
  ['server', Layout.fedServer],
  ['client', Layout.fedClient],
  ['admin', Layout.fedAdmin],
  ['relay', Layout.fedRelay],
]

export function readJson(path: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

export function readKitFiles(dir: string): KitFiles {
  const startup = join(dir, Layout.startup)
  const found = FED_FILES.find(([, f]) => existsSync(join(startup, f)))
  const type = found?.[0]
  const server = type === 'server'
  return {
    dir,
    type,
    startup,
    certFile: server ? Layout.serverCert : Layout.clientCert,
    keyFile: server ? Layout.serverKey : Layout.clientKey,
    fedConfig: found ? readJson(join(startup, found[1])) : undefined,
  }
}

export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
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
