import type { Command } from 'commander'
import { ExitCode, type ExitCodeValue, ProvisionError } from '../../errors.js'
import { writeFileAtomic } from '../../provision/fs/atomic.js'
import { pathExists } from '../../provision/fs/safe-path.js'
import { DEFAULT_KEY_METHOD, KEY_METHODS, type KeySource } from '../../provision/pki/key-source.js'
import { DEFAULT_NVFLARE_VERSION, NVFLARE_VERSIONS } from '../../provision/targets/version.js'
import { readTemplate } from '../../provision/templates.js'
import { type ProvisionFlags, runProvision } from '../provision-run.js'
import { action, out } from '../run.js'

const collect = (value: string, previous: string[]) => [...previous, value]

/** `earlyKeys`: the pool main.ts started for this run (it closes it); without it the run makes its own. */
export function registerProvision(program: Command, earlyKeys?: KeySource): void {
  program
    .option('-p, --project-file <file>', 'the project.yml to provision (NVFlare format)')
    .option('-w, --workspace <dir>', 'folder that holds <project name>/prod_NN and state/', 'workspace')
    .option('-s, --gen-scripts', 'also write start_all.sh (starts every kit on this machine) in prod_NN')
    .option('--zip', 'also write one <kit>.zip per kit in prod_NN, with its SHA-256 in the summary')
    .option(
      '--add-client <file>',
      'add a client from a YAML file with name and org (repeatable)',
      collect,
      [],
    )
    .option(
      '--add-user <file>',
      'add an admin from a YAML file with name, org and role (repeatable)',
      collect,
      [],
    )
    .option(
      '--rotate-he-key',
      'accept changed HE parameters: makes a new HE key; every client needs its new kit',
    )
    .option(
      '--nvflare-version <version>',
      `the NVFlare version the sites run: ${NVFLARE_VERSIONS.join(', ')} (default: the one state/ kept, else ${DEFAULT_NVFLARE_VERSION})`,
    )
    .option(
      '--key-source <method>',
      `how RSA keys are made: ${KEY_METHODS.join(' or ')} (default: ${DEFAULT_KEY_METHOD}, the faster; openssl is the vetted one)`,
    )
    .option('-g, --generate', 'write a sample project.yml (to -p FILE, default ./project.yml) and stop')
    .option('--force', 'with -g: overwrite an existing file')
    .option('--json', 'print the result as one JSON document on standard output')
    .action(action((flags: ProvisionFlags) => provisionCommand(flags, earlyKeys)))
}

/** `-g`, the wizard without `-p`, or a run of the project file. */
function provisionCommand(
  flags: ProvisionFlags,
  earlyKeys?: KeySource,
): Promise<ExitCodeValue> | ExitCodeValue {
  if (flags.generate) return generateSample(flags.projectFile ?? 'project.yml', flags.force ?? false)
  if (!flags.projectFile) return noProjectFile(flags)
  return runProvision({ ...flags, projectFile: flags.projectFile }, earlyKeys)
}

function generateSample(path: string, force: boolean): ExitCodeValue {
  if (pathExists(path) && !force) {
    throw new ProvisionError('file-exists', `${path} already exists; it was left as it is`, {
      hint: `Choose another file with -g -p FILE, or add --force to overwrite ${path}.`,
    })
  }
  writeFileAtomic(path, readTemplate('project.yml'), 0o644) // replaces a symbolic link, never writes through it
  out(`wrote ${path}: edit the participants, then run: provision -p ${path}`)
  return ExitCode.ok
}

/** No -p: on a terminal, the setup wizard; otherwise guidance at once (never wait for input that cannot come). */
async function noProjectFile(flags: ProvisionFlags): Promise<ExitCodeValue> {
  if (process.stdin.isTTY) {
    const { runInit } = await import('./init.js')
    return runInit({ workspace: flags.workspace, nvflareVersion: flags.nvflareVersion })
  }
  throw new ProvisionError(
    'no-terminal',
    'no project file given, and standard input is not a terminal, so the setup wizard cannot ask',
    {
      hint: 'Run `provision -p project.yml` to provision a project file, `provision init --yes --name NAME --server HOST --clients N --admin EMAIL` to write one without questions, or `provision -g` for a commented sample.',
    },
  )
}
