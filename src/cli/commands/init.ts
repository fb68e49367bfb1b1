import { existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { Command } from 'commander'
import { ExitCode, type ExitCodeValue, ProvisionError } from '../../errors.js'
import { writeFileAtomic } from '../../provision/fs/atomic.js'
import { pathExists } from '../../provision/fs/safe-path.js'
import {
  DEFAULT_NVFLARE_VERSION,
  NVFLARE_VERSIONS,
  type NvflareVersion,
} from '../../provision/targets/version.js'
import { createDefaultsPrompter, createTerminalPrompter, PromptCancelled, type Prompter } from '../prompts.js'
import { runProvision } from '../provision-run.js'
import { action, err, out } from '../run.js'
import { ask } from '../wizard/ask.js'
import type { Parsed } from '../wizard/parse.js'
import { type InitPreset, runWizard, summaryLines } from '../wizard.js'

export interface InitFlags extends InitPreset {
  output?: string
  yes?: boolean
  force?: boolean
  provision?: boolean
  workspace?: string
}

export interface InitDeps {
  /** Answers the questions; default: the terminal (or the defaults with --yes). */
  prompter?: Prompter
  /** Provisions the file written; default: the same code as `provision -p FILE --nvflare-version V`. */
  provisionFile?: (file: string, workspace: string, nvflareVersion: NvflareVersion) => Promise<ExitCodeValue>
}

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('set up a project step by step (the setup wizard) and write a commented project.yml')
    .option('-o, --output <file>', 'the project file to write (default: project.yml)')
    .option('-y, --yes', 'ask nothing: take the flags below and the defaults for the rest')
    .option('--force', 'overwrite the output file if it exists (with --yes; the wizard asks)')
    .option('--name <name>', 'project name')
    .option('--description <text>', 'project description')
    .option(
      '--nvflare-version <version>',
      `the NVFlare version the sites run: ${NVFLARE_VERSIONS.join(', ')} (default ${DEFAULT_NVFLARE_VERSION})`,
    )
    .option('--server <host>', 'server host name: the DNS name the sites dial')
    .option('--server-org <org>', 'org of the server')
    .option('--host-names <list>', 'other host names / IP addresses of the server, comma-separated')
    .option('--port <n>', 'fed_learn_port (default 8002)')
    .option('--admin-port <n>', 'admin_port (default: the same as --port)')
    .option('--clients <n>', 'number of clients (default 2)')
    .option('--client-pattern <pattern>', 'client names, {n} is the number (default site-{n})')
    .option('--client-names <list>', 'client names, comma-separated (instead of --clients/--client-pattern)')
    .option('--orgs <list>', 'one org for every client, or one per client, comma-separated')
    .option('--admin <email>', 'e-mail of the project admin')
    .option('--admin-org <org>', 'org of the project admin (default: the server org)')
    .option('--connection-security <mode>', 'mtls (default), tls or clear')
    .option('--he', 'homomorphic encryption on (the default)')
    .option('--no-he', 'homomorphic encryption off')
    .option('--poly-modulus-degree <n>', 'HE poly_modulus_degree (default 8192)')
    .option('--coeff-mod-bit-sizes <list>', 'HE coeff_mod_bit_sizes (default 60,40,40)')
    .option('--scale-bits <n>', 'HE scale_bits (default: the middle prime size, 40)')
    .option('--provision', 'provision the kits right after writing the file')
    .option('-w, --workspace <dir>', 'workspace for --provision / "provision now"', 'workspace')
    .action(action((flags: InitFlags) => runInit(flags)))
}

/** The wizard, then the file, then (if asked) the kits. Ctrl-C at any question: nothing written, exit 130. */
export async function runInit(flags: InitFlags, deps: InitDeps = {}): Promise<ExitCodeValue> {
  const p = deps.prompter ?? choosePrompter(flags)
  try {
    const result = await runWizard(p, flags)
    const output = await chooseOutput(p, flags)
    for (const line of summaryLines(result.settings, output)) p.note(line)
    if (!(await p.confirm({ message: `Write ${output}?`, default: true }))) {
      err('nothing was written')
      return ExitCode.failed
    }
    writeFileAtomic(output, result.text, 0o644)
    out(`wrote ${output}`)
    const now =
      flags.provision ??
      (await p.confirm({ message: 'Provision the startup kits now?', default: p.interactive }))
    const workspace = flags.workspace ?? 'workspace'
    const target = result.settings.nvflareVersion
    if (!now) {
      const ws = workspace === 'workspace' ? '' : ` -w ${workspace}`
      out(`Next: provision -p ${output}${ws} --nvflare-version ${target}`)
      return ExitCode.ok
    }
    return await (deps.provisionFile ?? provisionFile)(output, workspace, target)
  } catch (error) {
    if (!(error instanceof PromptCancelled)) throw error
    err('\ncancelled: nothing was written')
    return ExitCode.interrupted
  }
}

function choosePrompter(flags: InitFlags): Prompter {
  if (flags.yes) return createDefaultsPrompter((line) => err(line))
  if (!process.stdin.isTTY) {
    throw new ProvisionError(
      'no-terminal',
      'provision init asks questions, and standard input is not a terminal',
      {
        hint: 'Run it in a terminal, or add --yes with flags (e.g. --name NAME --server HOST --clients N --admin EMAIL) to write the file without questions.',
      },
    )
  }
  return createTerminalPrompter()
}

function provisionFile(
  file: string,
  workspace: string,
  nvflareVersion: NvflareVersion,
): Promise<ExitCodeValue> {
  return runProvision({ projectFile: file, workspace, addClient: [], addUser: [], nvflareVersion })
}

/** The output file: never an existing file without asking (with --yes: only with --force). */
async function chooseOutput(p: Prompter, flags: InitFlags): Promise<string> {
  let preset = flags.output
  for (;;) {
    const file = await ask(p, {
      message: 'Write the project file to',
      default: p.interactive ? freeFile() : 'project.yml',
      parse: parseOutput,
      preset,
      flag: '--output',
    })
    if (!pathExists(file) || flags.force) return file
    if (!p.interactive) {
      throw new ProvisionError('file-exists', `${file} already exists; it was left as it is`, {
        hint: `Choose another file with -o FILE, or add --force to overwrite ${file}.`,
      })
    }
    if (await p.confirm({ message: `${file} already exists. Overwrite it?`, default: false })) return file
    preset = undefined
  }
}

function parseOutput(value: string): Parsed<string> {
  if (value === '') return { ok: false, problem: 'expected a file name' }
  const dir = dirname(resolve(value))
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return { ok: false, problem: `the folder ${dir} does not exist` }
  if (existsSync(value) && statSync(value).isDirectory())
    return { ok: false, problem: `${value} is a folder; expected a file name` }
  return { ok: true, value }
}

/** project.yml, or project-2.yml, ... when it exists. */
function freeFile(): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'project.yml' : `project-${n}.yml`
    if (!existsSync(name)) return name
  }
}
