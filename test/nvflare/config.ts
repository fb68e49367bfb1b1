import { existsSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { NVFLARE_VERSIONS, type NvflareVersion } from '../../src/provision/targets/version.js'

/**
 * What `npm run test:nvflare` runs against, from the environment:
 * FEDFORGE_NVFLARE_2_7 / _2_8 / _2_9 (an NVFlare source folder per target, the one that holds nvflare/),
 * FEDFORGE_PYTHON (the interpreter; default python3) and FEDFORGE_PYTHONPATH (extra entries: the
 * dependencies, TenSEAL, import-only stand-ins), FEDFORGE_NVFLARE_KEEP=1 keeps the run folders.
 */
export interface NvflareTarget {
  version: NvflareVersion
  envVar: string
  /** The NVFlare source folder, or undefined when the variable is unset. */
  source: string | undefined
}

export const envVarFor = (version: NvflareVersion): string => `FEDFORGE_NVFLARE_${version.replace('.', '_')}`

export function nvflareTargets(env: NodeJS.ProcessEnv = process.env): NvflareTarget[] {
  return NVFLARE_VERSIONS.map((version) => {
    const envVar = envVarFor(version)
    const source = env[envVar]?.trim() || undefined
    if (source && !existsSync(join(source, 'nvflare', '__init__.py'))) {
      throw new Error(
        `${envVar}=${source}: no nvflare/__init__.py there; point it at an NVFlare source folder`,
      )
    }
    return { version, envVar, source }
  })
}

export interface PythonSetup {
  python: string
  /** PYTHONPATH for every NVFlare process of one target: FEDFORGE_PYTHONPATH, then the NVFlare source. */
  pythonPath(source: string): string
}

export function pythonSetup(env: NodeJS.ProcessEnv = process.env): PythonSetup {
  const extra = (env['FEDFORGE_PYTHONPATH'] ?? '').split(delimiter).filter(Boolean)
  return {
    python: env['FEDFORGE_PYTHON']?.trim() || 'python3',
    pythonPath: (source) => [...extra, source].join(delimiter),
  }
}

export const keepRunFolders = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env['FEDFORGE_NVFLARE_KEEP'] === '1'
