import { join } from 'node:path'
import { Layout } from '../layout.js'
import { readJson, readKitFiles, readText } from '../verify/kit-files.js'
import type { NvflareVersion } from './version.js'

/** What a kit says about the NVFlare version it was written for (DIFFERENCES.md §2-§3). */
export interface TargetEvidence {
  /** fed_server.json or fed_client.json. */
  fedConfig: Record<string, unknown> | undefined
  /** local/authorization.json.default, as text. */
  authorization: string | undefined
  /** local/resources.json.default. */
  resources: Record<string, unknown> | undefined
}

/**
 * The target a server or client kit was written for: 2.7 names an overseer agent, 2.9 (NVFlare main) adds
 * `server-predeployed-flwr` to the authorization defaults, and 2.8 has a class allow-list without it.
 * Admin kits are the same in every version: undefined.
 */
export function detectTarget(e: TargetEvidence): NvflareVersion | undefined {
  if (e.fedConfig && 'overseer_agent' in e.fedConfig) return '2.7'
  if (e.authorization?.includes('"server-predeployed-flwr"')) return '2.9'
  if (e.resources && 'class_allow_list' in e.resources) return '2.8'
  return undefined
}

/** detectTarget over the files of the kit folder `kitDir`. */
export function detectKitTarget(kitDir: string): NvflareVersion | undefined {
  const kit = readKitFiles(kitDir)
  if (kit.type !== 'server' && kit.type !== 'client') return undefined
  const local = join(kitDir, Layout.local)
  return detectTarget({
    fedConfig: kit.fedConfig,
    authorization: readText(join(local, 'authorization.json.default')),
    resources: readJson(join(local, 'resources.json.default')),
  })
}
