import type { Command } from 'commander'
import { ExitCode, ProvisionError } from '../../errors.js'
import { MiB, readTextBounded } from '../../provision/fs/read-bounded.js'
import { NVFLARE_VERSIONS, parseNvflareVersion } from '../../provision/targets/version.js'
import type { KitReport } from '../../provision/verify/types.js'
import { action, out } from '../run.js'

interface VerifyFlags {
  root?: string
  json?: boolean
  nvflareVersion?: string
}

function readRoot(path: string | undefined): string | undefined {
  if (path === undefined) return undefined
  const pem = readTextBounded(path, {
    what: '--root file',
    maxBytes: MiB,
    hint: 'Pass the rootCA.pem you trust, e.g. prod_00/server.example.com/startup/rootCA.pem.',
  })
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ProvisionError('root-not-pem', `--root ${path} is not a PEM certificate`)
  }
  return pem
}

const LABEL = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const

export function renderReport(report: KitReport): void {
  const target = report.nvflareVersion ? `, NVFlare ${report.nvflareVersion}` : ''
  out(`${report.kit} (${report.type ?? 'unknown kit type'}${target})`)
  for (const c of report.checks) out(`  ${LABEL[c.status]}  ${c.name}: ${c.message}`)
  if (report.rootFingerprint) out(`  root CA SHA-256: ${report.rootFingerprint}`)
}

/**
 * `provision verify KIT... [--root rootCA.pem] [--nvflare-version V] [--json]`: one line per check; exit 0
 * when nothing failed.
 */
export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('check startup kits: chain, profile, identity, key, signatures, secrets, expiry, classes')
    .argument('<kit...>', 'kit folders (e.g. prod_00/site-1)')
    .option('--root <rootCA.pem>', "the root CA to check against (default: each kit's own rootCA.pem)")
    .option(
      '--nvflare-version <version>',
      `the NVFlare version the kit must run on: ${NVFLARE_VERSIONS.join(', ')} (default: the one the kit was written for)`,
    )
    .option('--json', 'print the reports as JSON')
    .action(
      action(async (kits: string[], flags: VerifyFlags) => {
        const rootPem = readRoot(flags.root)
        const given = flags.nvflareVersion
        const nvflareVersion =
          given === undefined ? undefined : parseNvflareVersion(given, '--nvflare-version')
        const { verifyKit } = await import('../../provision/verify/verify-kit.js')
        const reports: KitReport[] = []
        for (const kit of kits) reports.push(await verifyKit(kit, { rootPem, nvflareVersion }))
        if (flags.json) out(JSON.stringify(reports, null, 2))
        else reports.forEach(renderReport)
        return reports.every((r) => r.ok) ? ExitCode.ok : ExitCode.failed
      }),
    )
}
