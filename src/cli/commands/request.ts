import type { Command } from 'commander'
import { ExitCode, type ExitCodeValue, ProvisionError } from '../../errors.js'
import { isDistributedType } from '../../provision/distributed/participant.js'
import { makeRequest } from '../../provision/distributed/request.js'
import {
  DEFAULT_KEY_METHOD,
  KEY_METHODS,
  keyMethodName,
  parseKeyMethod,
} from '../../provision/pki/key-source.js'
import { action, out } from '../run.js'

interface RequestFlags {
  name: string
  org: string
  type: string
  role?: string
  output: string
  keySource?: string
  json?: boolean
}

/** The "distributed" section of `provision --help`. */
export const DISTRIBUTED_HELP = `
Distributed provisioning (each site makes its own key, and the key never leaves the site):
  site   provision request --name site-9 --org hospital_c -o DIR
           makes the key (mode 600) and a request (CSR); prints the request SHA-256
  admin  provision approve DIR/site-9.request.json -p project.yml
           after comparing the SHA-256: the certificate, the kit files, the HE context sealed to the site
  site   provision package site-9.approval.json --request-dir DIR --root-fingerprint SHA256:...
           builds the kit around the site's own key and verifies it
`

/** `provision request --name N --org O [--type T] [--role R] -o DIR [--json]` (at the site). */
export function registerRequest(program: Command): void {
  program
    .command('request')
    .description("distributed flow, at the site: make this site's key and a request (CSR) for the admin")
    .requiredOption('--name <name>', 'the participant name (a site name, or an e-mail address for an admin)')
    .requiredOption('--org <org>', 'the organization')
    .option('--type <type>', 'client, admin or server', 'client')
    .option('--role <role>', "an admin's role (project_admin, org_admin, lead, member)")
    .requiredOption(
      '-o, --output <dir>',
      'the folder for the key and the request (made 0700; keep it at the site)',
    )
    .option(
      '--key-source <method>',
      `how the RSA key is made: ${KEY_METHODS.join(' or ')} (default: ${DEFAULT_KEY_METHOD})`,
    )
    .option('--json', 'print the result as one JSON document')
    .action(action((flags: RequestFlags) => runRequest(flags)))
}

function runRequest(flags: RequestFlags): ExitCodeValue {
  if (!isDistributedType(flags.type)) {
    throw new ProvisionError('bad-option', `--type ${flags.type}: expected client, admin or server`, {
      exitCode: ExitCode.badInput,
    })
  }
  const keySource = parseKeyMethod(flags.keySource ?? DEFAULT_KEY_METHOD, '--key-source')
  const made = makeRequest({
    keySource,
    name: flags.name,
    org: flags.org,
    type: flags.type,
    role: flags.role,
    dir: flags.output,
  })
  const { request } = made
  if (flags.json) {
    out(
      JSON.stringify(
        {
          requestFile: made.requestFile,
          keyFile: made.keyFile,
          keySource: keyMethodName(keySource),
          requestSha256: request.sha256,
          participant: request.fields,
        },
        null,
        2,
      ),
    )
    return ExitCode.ok
  }
  out(`wrote ${made.requestFile}`)
  out(`wrote ${made.keyFile} (the private key, mode 600, made by ${keyMethodName(keySource)}: it stays here)`)
  out(`request SHA-256: ${request.sha256}`)
  out('')
  out(`Send ${made.requestFile} to the admin, and tell them the SHA-256 above over another channel`)
  out('(phone, in person): they compare it before approving. Then package the approval here with')
  out(
    `  provision package ${request.fields.name}.approval.json --request-dir ${flags.output} --root-fingerprint <the one the admin gives you>`,
  )
  return ExitCode.ok
}
