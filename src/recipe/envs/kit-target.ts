import { ExitCode, ProvisionError } from '../../errors.js'
import { detectKitTarget } from '../../provision/targets/detect.js'
import { DEFAULT_NVFLARE_VERSION, type NvflareVersion } from '../../provision/targets/version.js'
import type { KitCheck } from '../spec.js'

/** Where a job's target version came from: given, told by the kits, or the default. */
export type TargetSource = 'option' | 'kits' | 'default'

export interface JobTargetChoice {
  version: NvflareVersion
  source: TargetSource
  /** With source `kits`: the kit whose files told (the server kit, when it tells). */
  kit: string | undefined
  /** A given version that some kits were not written for. */
  warnings: string[]
}

interface ToldTarget {
  name: string
  type: KitCheck['type']
  version: NvflareVersion
}

/** The target each server and client kit was written for, where its files tell (detectKitTarget). */
function toldTargets(kits: readonly Pick<KitCheck, 'name' | 'type' | 'dir'>[]): ToldTarget[] {
  const told: ToldTarget[] = []
  for (const kit of kits) {
    if (kit.type !== 'server' && kit.type !== 'client') continue
    const version = detectKitTarget(kit.dir)
    if (version !== undefined) told.push({ name: kit.name, type: kit.type, version })
  }
  return told
}

/**
 * The NVFlare version to write a job for: `given` when set (with a warning per kit written for another),
 * else the server kit's, which every client kit must share (a ProvisionError, exit 2, naming the kits when
 * not), else a client kit's, else DEFAULT_NVFLARE_VERSION.
 */
export function chooseJobTarget(
  given: NvflareVersion | undefined,
  kits: readonly Pick<KitCheck, 'name' | 'type' | 'dir'>[],
): JobTargetChoice {
  const told = toldTargets(kits)
  if (given !== undefined) {
    const warnings = told
      .filter((t) => t.version !== given)
      .map((t) => `the job targets NVFlare ${given} but kit ${t.name} was written for ${t.version}`)
    return { version: given, source: 'option', kit: undefined, warnings }
  }
  const first = told.find((t) => t.type === 'server') ?? told[0]
  if (first === undefined) {
    return { version: DEFAULT_NVFLARE_VERSION, source: 'default', kit: undefined, warnings: [] }
  }
  if (told.some((t) => t.version !== first.version)) {
    throw new ProvisionError(
      'kits-target-mixed',
      `the kits were written for different NVFlare versions: ${told.map((t) => `${t.name} ${t.version}`).join(', ')}`,
      {
        hint: 'provision all kits for the version the sites run, or choose the job’s version with --nvflare-version',
        exitCode: ExitCode.badInput,
      },
    )
  }
  return { version: first.version, source: 'kits', kit: first.name, warnings: [] }
}
