import type { Command } from 'commander'
import { ExitCode, type ExitCodeValue, ProvisionError } from '../../errors.js'
import { type ApprovalPreview, approveRequest } from '../../provision/distributed/approve.js'
import { describeFields } from '../../provision/distributed/participant.js'
import { parseNvflareVersion } from '../../provision/targets/version.js'
import { createTerminalPrompter, PromptCancelled } from '../prompts.js'
import { action, err, out } from '../run.js'

interface ApproveFlags {
  projectFile: string
  workspace: string
  output?: string
  yes?: boolean
  nvflareVersion?: string
  json?: boolean
}

/** `provision approve REQUEST -p project.yml [-w DIR] [-o FILE] [--yes] [--json]` (at the admin). */
export function registerApprove(program: Command): void {
  program
    .command('approve')
    .description("distributed flow, at the admin: issue a site's certificate and write its approval file")
    .argument('<request>', 'the request file the site sent (<name>.request.json)')
    .requiredOption('-p, --project-file <file>', 'the project.yml the workspace was provisioned from')
    .option('-w, --workspace <dir>', 'the workspace of the central provisioning', 'workspace')
    .option('-o, --output <file>', 'the approval file (default: <name>.approval.json beside the request)')
    .option('--nvflare-version <version>', 'the NVFlare version the kit is written for (2.7, 2.8, 2.9)')
    .option('--yes', 'do not ask for confirmation (compare the request SHA-256 with the site first)')
    .option('--json', 'print the result as one JSON document')
    .action(action((request: string, flags: ApproveFlags) => runApprove(request, flags)))
}

function confirmer(flags: ApproveFlags): ((p: ApprovalPreview) => Promise<boolean>) | undefined {
  if (flags.yes) return undefined
  if (!process.stdin.isTTY) {
    throw new ProvisionError(
      'no-terminal',
      'approve asks for confirmation, and standard input is not a terminal',
      {
        hint: 'compare the request SHA-256 with the one the site gave you, then run again with --yes',
      },
    )
  }
  return async (p) => {
    err(`project:         ${p.project}`)
    err(`participant:     ${describeFields(p.fields)}`)
    err(`request SHA-256: ${p.requestSha256}`)
    err(`root CA:         ${p.rootFingerprint}`)
    err(`NVFlare:         ${p.nvflareVersion}`)
    if (p.sealedHeContext) err("HE:              the client context goes sealed to the site's key")
    return createTerminalPrompter().confirm({
      message: 'Is this the SHA-256 the site gave you? Approve?',
      default: false,
    })
  }
}

async function runApprove(request: string, flags: ApproveFlags): Promise<ExitCodeValue> {
  const nvflareVersion =
    flags.nvflareVersion === undefined
      ? undefined
      : parseNvflareVersion(flags.nvflareVersion, '--nvflare-version')
  const confirm = confirmer(flags)
  let result: Awaited<ReturnType<typeof approveRequest>>
  try {
    result = await approveRequest({
      requestFile: request,
      projectFile: flags.projectFile,
      workspace: flags.workspace,
      output: flags.output,
      nvflareVersion,
      confirm,
    })
  } catch (error) {
    if (!(error instanceof PromptCancelled)) throw error
    err('\ncancelled: nothing was written')
    return ExitCode.interrupted
  }
  if (flags.json) {
    out(JSON.stringify(result, null, 2))
    return ExitCode.ok
  }
  out(`approved ${describeFields(result.fields)} (request SHA-256 ${result.requestSha256})`)
  out(
    `wrote ${result.approvalFile} (NVFlare ${result.nvflareVersion}${result.sealedHeContext ? '; HE client context sealed to the site key' : ''})`,
  )
  out(`root CA fingerprint: ${result.rootFingerprint}`)
  out('')
  out('Send the approval file to the site, and tell them the root CA fingerprint over another channel:')
  out('`provision package` needs it (--root-fingerprint) and refuses an approval from any other root.')
  return ExitCode.ok
}
