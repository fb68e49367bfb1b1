import {
  NVFLARE_VERSIONS,
  type NvflareVersion,
  parseNvflareVersion,
} from '../../provision/targets/version.js'
import type { Choice, Prompter } from '../prompts.js'
import { choose } from './ask.js'
import { DEFAULTS, type InitPreset } from './settings.js'

const CHOICES: Record<NvflareVersion, string> = {
  '2.7': '2.7: NVFlare 2.7.x',
  '2.8': '2.8: NVFlare 2.8.x, the newest release checked (recommended)',
  '2.9': '2.9: NVFlare main as of 2026-08 (commit f3b7c1b), ahead of a 2.9 release',
}

/** A patch release (`2.8.1`) names its line; anything else is left for `choose` to refuse. */
function lineOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  try {
    return parseNvflareVersion(value, '--nvflare-version')
  } catch {
    return value
  }
}

/** The NVFlare version the sites run: the kits are written for it. */
export function askTarget(p: Prompter, pre: InitPreset): Promise<NvflareVersion> {
  const choices: Choice<NvflareVersion>[] = NVFLARE_VERSIONS.map((v) => ({ value: v, name: CHOICES[v] }))
  return choose<NvflareVersion>(p, {
    message: 'NVFlare version the sites run (the kits are written for it)',
    choices,
    default: DEFAULTS.nvflareVersion,
    preset: lineOf(pre.nvflareVersion),
    flag: '--nvflare-version',
  })
}
