import type { Command } from 'commander'
import { ExitCode, type ExitCodeValue } from '../../errors.js'
import { packageKit } from '../../provision/distributed/package.js'
import { describeFields } from '../../provision/distributed/participant.js'
import { action, out } from '../run.js'
import { renderReport } from './verify.js'

interface PackageFlags {
  requestDir: string
  rootFingerprint: string
  output?: string
  json?: boolean
}

/** `provision package APPROVAL --request-dir DIR --root-fingerprint FP [-o KIT] [--json]` (at the site). */
export function registerPackage(program: Command): void {
  program
    .command('package')
    .description('distributed flow, at the site: build the startup kit from the approval and this site key')
    .argument('<approval>', 'the approval file the admin sent (<name>.approval.json)')
    .requiredOption('--request-dir <dir>', 'the folder `provision request` wrote (key and request)')
    .requiredOption('--root-fingerprint <fp>', 'the root CA fingerprint the admin gave you (SHA256:AA:BB:…)')
    .option('-o, --output <kit>', 'the kit folder to make, named after the participant (default: ./<name>)')
    .option('--json', 'print the result as one JSON document')
    .action(action((approval: string, flags: PackageFlags) => runPackage(approval, flags)))
}

async function runPackage(approval: string, flags: PackageFlags): Promise<ExitCodeValue> {
  const result = await packageKit({
    approvalFile: approval,
    requestDir: flags.requestDir,
    rootFingerprint: flags.rootFingerprint,
    output: flags.output,
  })
  if (flags.json) {
    out(JSON.stringify(result, null, 2))
    return ExitCode.ok
  }
  out(
    `wrote the kit of ${describeFields(result.fields)} to ${result.kitDir} (project ${result.project}, NVFlare ${result.nvflareVersion})`,
  )
  renderReport(result.report)
  return ExitCode.ok
}
