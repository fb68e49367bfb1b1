import type { Project } from '../../provision/project/types.js'
import type { ProvisionResult } from '../../provision/provisioner.js'
import { out } from '../run.js'

/** The closing lines of a run: where the kits are and what to do next (or one JSON document). */
export function printSummary(
  project: Project,
  result: ProvisionResult,
  json: boolean,
  warnings: string[],
): void {
  if (json) {
    out(
      JSON.stringify(
        {
          project: project.name,
          projectDir: result.projectDir,
          prodDir: result.prodDir,
          kits: result.kits,
          he: result.he ?? null,
          warnings,
        },
        null,
        2,
      ),
    )
    return
  }
  const count = (type: string) => result.kits.filter((k) => k.type === type).length
  const parts = [`${count('server')} server`, `${count('client')} clients`, `${count('admin')} admins`]
  if (count('relay') > 0) parts.push(`${count('relay')} relays`)
  out(`Provisioned ${project.name}: ${result.kits.length} kits (${parts.join(', ')})`)
  out(`  in ${result.prodDir}`)
  if (result.he) {
    const he = result.he
    out(
      `  HE: ${he.scheme}, N=${he.polyModulusDegree}, coeff_mod_bit_sizes [${he.coeffModBitSizes.join(', ')}], scale 2^${he.scaleBits}${he.reusedKey ? ' (existing key reused)' : ' (new key)'}`,
    )
  }
  out('Next:')
  out(`  1. Check a kit before you hand it over:  provision verify ${result.prodDir}/<kit>`)
  out(
    "  2. Give each site its own folder (only its own: a kit holds that site's private key), over a channel you trust.",
  )
  out(
    `  3. Start the server first: ${project.server.name}/startup/start.sh; then each site runs its startup/start.sh.`,
  )
}
