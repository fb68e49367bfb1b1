import { ProvisionError } from '../../errors.js'

/**
 * The NVFlare release lines we write for. `2.9` is NVFlare main as of 2026-08 (commit f3b7c1b), the
 * release after 2.8; see ../shared/reference/nvflare-versions/ for each line's real output.
 */
export const NVFLARE_VERSIONS = ['2.7', '2.8', '2.9'] as const

/** An NVFlare release line fedforge writes for: `'2.7' | '2.8' | '2.9'`. */
export type NvflareVersion = (typeof NVFLARE_VERSIONS)[number]

/** The newest release line checked on the real runtime. */
export const DEFAULT_NVFLARE_VERSION: NvflareVersion = '2.8'

/** True for exactly the values of NVFLARE_VERSIONS (no patch releases: see parseNvflareVersion). */
export function isNvflareVersion(value: unknown): value is NvflareVersion {
  return typeof value === 'string' && (NVFLARE_VERSIONS as readonly string[]).includes(value)
}

/** Parses a user-given target (`2.8`, also `2.8.1`: a patch release maps onto its line). `where` names the flag or key. */
export function parseNvflareVersion(value: string, where: string): NvflareVersion {
  const line = /^(\d+\.\d+)(?:\.\d+)?$/.exec(value.trim())?.[1]
  if (isNvflareVersion(line)) return line
  throw new ProvisionError(
    'bad-nvflare-version',
    `${where}: "${value}" is not a supported NVFlare version; expected one of ${NVFLARE_VERSIONS.join(', ')}`,
    { hint: `choose the NVFlare release your sites run, e.g. ${where} ${DEFAULT_NVFLARE_VERSION}` },
  )
}
