import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Layout } from '../layout.js'
import { classStatus } from '../targets/classes.js'
import { NVFLARE_VERSIONS, type NvflareVersion } from '../targets/version.js'
import { readText } from './kit-files.js'
import { type Check, fail, ok, warn } from './types.js'

/** The keys whose string value NVFlare imports as a class: component `path`, logging `class` and `()`. */
const CLASS_KEYS = new Set(['path', 'class', '()'])

/** A class path named in a kit config: `file` relative to the kit, `key` the JSON path to it. */
export interface NamedClass {
  file: string
  key: string
  classPath: string
}

/** The configs NVFlare reads from a kit: startup/*.json and local/*.json(.default); not signatures or samples. */
export function kitConfigFiles(kitDir: string): string[] {
  const files: string[] = []
  for (const folder of [Layout.startup, Layout.local]) {
    const dir = join(kitDir, folder)
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir).sort()) {
      if (name === Layout.signature || !/\.json(\.default)?$/.test(name)) continue
      files.push(`${folder}/${name}`)
    }
  }
  return files
}

function keyPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`
  return /^[A-Za-z_]\w*$/.test(key)
    ? parent
      ? `${parent}.${key}`
      : key
    : `${parent}[${JSON.stringify(key)}]`
}

/** Every class path in one parsed config (the class allow-list names classes but loads none: not included). */
export function classPathsIn(value: unknown, file: string, parent = ''): NamedClass[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => classPathsIn(v, file, keyPath(parent, i)))
  if (value === null || typeof value !== 'object') return []
  const found: NamedClass[] = []
  for (const [key, v] of Object.entries(value)) {
    const at = keyPath(parent, key)
    if (CLASS_KEYS.has(key) && typeof v === 'string') found.push({ file, key: at, classPath: v })
    else if (key !== 'class_allow_list') found.push(...classPathsIn(v, file, at))
  }
  return found
}

/** Every class path the kit's configs name; `unreadable` lists configs that are not JSON. */
export function kitClassPaths(kitDir: string): {
  classes: NamedClass[]
  unreadable: string[]
  configs: number
} {
  const classes: NamedClass[] = []
  const unreadable: string[] = []
  const files = kitConfigFiles(kitDir)
  for (const file of files) {
    try {
      classes.push(...classPathsIn(JSON.parse(readText(join(kitDir, file)) ?? ''), file))
    } catch {
      unreadable.push(file)
    }
  }
  return { classes, unreadable, configs: files.length }
}

/**
 * NVFlare's own classes must exist in the target (checked against the class lists of the reference
 * output); a class outside `nvflare.` that the lists do not know (the site's own code) is a warning.
 * Without a target (admin and relay kits do not show theirs) every version is checked.
 */
export function classCheck(kitDir: string, target: NvflareVersion | undefined): Check {
  const versions = target ? [target] : [...NVFLARE_VERSIONS]
  const against = target
    ? `NVFlare ${target}`
    : `every NVFlare version (${versions.join(', ')}; the kit does not show its target)`
  const { classes, unreadable, configs } = kitClassPaths(kitDir)
  const problems = unreadable.map((f) => `${f} is not JSON`)
  const unknown: string[] = []
  for (const c of classes) {
    const where = `${c.file} ${c.key}`
    const missingIn = versions.filter((v) => classStatus(v, c.classPath) === 'missing')
    const unknownIn = versions.filter((v) => classStatus(v, c.classPath) === 'unknown')
    if (missingIn.length > 0)
      problems.push(`${where}: ${c.classPath} does not exist in NVFlare ${missingIn.join(', ')}`)
    else if (unknownIn.length > 0 && c.classPath.startsWith('nvflare.'))
      problems.push(`${where}: ${c.classPath} is not a class we know in NVFlare ${unknownIn.join(', ')}`)
    else if (unknownIn.length > 0) unknown.push(`${where}: ${c.classPath}`)
  }
  if (problems.length > 0) return fail('classes', `checked against ${against}: ${problems.join('; ')}`)
  if (classes.length === 0) return ok('classes', `no class paths in ${configs} configs`)
  const counted = `${classes.length} class paths in ${configs} configs`
  if (unknown.length > 0) {
    return warn(
      'classes',
      `${counted}, checked against ${against}; not NVFlare's, so not checked: ${unknown.join('; ')}`,
    )
  }
  return ok('classes', `${counted} exist in ${against}`)
}
