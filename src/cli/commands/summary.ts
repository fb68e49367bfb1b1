import { join } from 'node:path'
import { describeHeParams } from '../../he-builder/describe-params.js'
import type { Project } from '../../provision/project/types.js'
import type { ProvisionResult } from '../../provision/provisioner.js'
import type { RunTarget } from '../../provision/targets/state-target.js'
import { out } from '../run.js'

/** A zip written with --zip: `file` relative to prod_NN. */
export interface ZipLine {
  name: string
  file: string
  sha256: string
}

export interface SummaryOptions {
  json: boolean
  warnings: string[]
  zips: ZipLine[]
  /** RSA keys this run made (its `key-generated` events). */
  newKeys: number
}

/** The closing lines of a run: where the kits are and what to do next (or one JSON document). */
export function printSummary(project: Project, result: ProvisionResult, options: SummaryOptions): void {
  const zips = [...options.zips]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((z) => ({ ...z, file: join(result.prodDir, z.file) }))
  if (options.json) {
    const { projectDir, prodDir, kits } = result
    const doc = {
      project: project.name,
      nvflareVersion: result.target.version,
      target: { source: result.target.source, changedFrom: result.target.changedFrom ?? null },
      projectDir,
      prodDir,
      kits,
      he: result.he ?? null,
      keySource: result.keySource,
      newKeys: options.newKeys,
      zips,
      warnings: options.warnings,
    }
    out(JSON.stringify(doc, null, 2))
    return
  }
  const count = (type: string) => result.kits.filter((k) => k.type === type).length
  const parts = [`${count('server')} server`, `${count('client')} clients`, `${count('admin')} admins`]
  if (count('relay') > 0) parts.push(`${count('relay')} relays`)
  out(`Provisioned ${project.name}: ${result.kits.length} kits (${parts.join(', ')})`)
  out(`  in ${result.prodDir}`)
  out(`  ${targetLine(result.target)}`)
  out(`  ${keysLine(result.keySource, options.newKeys)}`)
  if (result.he) {
    const he = result.he
    const key = he.reusedKey ? 'existing key reused' : 'new key'
    out(`  HE: ${describeHeParams(he)} (${key})`)
  }
  for (const z of zips) out(`  ${z.file}  sha256 ${z.sha256}`)
  printNextSteps(project, result, zips.length > 0)
}

const SOURCE: Record<RunTarget['source'], string> = {
  requested: '--nvflare-version',
  state: 'kept from state/',
  default: 'the default; choose with --nvflare-version',
}

/** Which NVFlare the kits are for; a change is said plainly, since every site needs its new kit. */
export function targetLine(t: RunTarget): string {
  if (t.changedFrom) {
    return `NVFlare ${t.version}: target changed from ${t.changedFrom} to ${t.version} (every kit of this run is for ${t.version}; later runs keep it)`
  }
  return `NVFlare ${t.version} (${SOURCE[t.source]})`
}

/** How many RSA keys were made, and by what (kept keys are reused from state/). */
export function keysLine(source: string, made: number): string {
  if (made === 0) return 'RSA keys: none new (every key was kept in state/)'
  return `RSA keys: ${made} new, made by ${source}`
}

function printNextSteps(project: Project, result: ProvisionResult, zipped: boolean): void {
  out('Next:')
  out(`  1. Check a kit before you hand it over:  provision verify ${result.prodDir}/<kit>`)
  const what = zipped ? 'its own zip (and its SHA-256, by another channel)' : 'its own folder'
  out(`  2. Give each site ${what}; a kit holds that site's private key, so use a channel you trust.`)
  out(
    `  3. Start the server first: ${project.server.name}/startup/start.sh; then each site runs its startup/start.sh.`,
  )
}
