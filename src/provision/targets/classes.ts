import { TARGET_CLASSES } from './classes.generated.js'
import type { NvflareVersion } from './version.js'

export type ClassStatus = 'exists' | 'missing' | 'unknown'

const index = new Map(
  Object.entries(TARGET_CLASSES).map(([v, lists]) => [
    v,
    new Map<string, ClassStatus>([
      ...lists.exists.map((p): [string, ClassStatus] => [p, 'exists']),
      ...lists.missing.map((p): [string, ClassStatus] => [p, 'missing']),
    ]),
  ]),
)

/** Whether `classPath` was found (by importing it) in NVFlare `version`; `unknown` when it was never checked. */
export function classStatus(version: NvflareVersion, classPath: string): ClassStatus {
  return index.get(version)?.get(classPath) ?? 'unknown'
}
