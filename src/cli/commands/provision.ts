import { resolve } from 'node:path'
import type { Command } from 'commander'
import { ExitCode, ProvisionError } from '../../errors.js'
import type { ProvisionEvent } from '../../provision/events.js'
import { writeFileAtomic } from '../../provision/fs/atomic.js'
import { pathExists } from '../../provision/fs/safe-path.js'
import {
  KEY_METHODS,
  type KeyMethod,
  type KeySource,
  parseKeyMethod,
} from '../../provision/pki/key-source.js'
import { loadProjectFile } from '../../provision/project/load.js'
import { provision } from '../../provision/provisioner.js'
import {
  DEFAULT_NVFLARE_VERSION,
  NVFLARE_VERSIONS,
  type NvflareVersion,
  parseNvflareVersion,
} from '../../provision/targets/version.js'
import { readTemplate } from '../../provision/templates.js'
import { killPointHook } from '../kill-point.js'
import { createRenderer, renderMode } from '../render.js'
import { action, err, out } from '../run.js'
import { printSummary, type ZipLine } from './summary.js'

export interface ProvisionFlags {
  projectFile?: string
  workspace: string
  genScripts?: boolean
  zip?: boolean
  addClient: string[]
  addUser: string[]
  rotateHeKey?: boolean
  generate?: boolean
  force?: boolean
  json?: boolean
  nvflareVersion?: string
  keySource?: string
}

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
      `how RSA keys are made: ${KEY_METHODS.join(' or ')} (default: openssl with OpenSSL 3.5 or newer, else prime-search)`,
    )
    .option('-g, --generate', 'write a sample project.yml (to -p FILE, default ./project.yml) and stop')
    .option('--force', 'with -g: overwrite an existing file')
    .option('--json', 'print the result as one JSON document on standard output')
    .action(action((flags: ProvisionFlags) => runProvision(flags, earlyKeys)))
}

export async function runProvision(flags: ProvisionFlags, earlyKeys?: KeySource): Promise<number> {
  if (flags.generate) return generateSample(flags.projectFile ?? 'project.yml', flags.force ?? false)
  if (!flags.projectFile) return noProjectFile(flags)
  const nvflareVersion = targetFlag(flags.nvflareVersion)
  // main.ts started earlyKeys with the method of the same --key-source
  const keySource = earlyKeys ?? keyMethodFlag(flags.keySource)
  const project = loadProjectFile(flags.projectFile, { addClients: flags.addClient, addUsers: flags.addUser })
  const mode = renderMode(flags.json ?? false)
  const renderer = createRenderer(mode)
  const zips: ZipLine[] = []
  const killAt = killPointHook() // test-only crash points (kill-point.ts); nothing unless the env names one
  let newKeys = 0
  const onEvent = (e: ProvisionEvent) => {
    if (e.type === 'zip-written') zips.push({ name: e.name, file: e.file, sha256: e.sha256 })
    if (e.type === 'key-generated') newKeys++
    renderer.onEvent(e)
    killAt?.(e)
  }
  if (mode !== 'json') for (const w of project.warnings) err(`warning: ${w}`)
  const stop = stopOnSignals()
  try {
    const result = await provision({
      project,
      workspace: resolve(flags.workspace),
      options: {
        genScripts: flags.genScripts ?? false,
        zip: flags.zip ?? false,
        rotateHeKey: flags.rotateHeKey ?? false,
      },
      onEvent,
      signal: stop.signal,
      ...(nvflareVersion ? { nvflareVersion } : {}),
      ...(keySource ? { keySource } : {}),
    })
    renderer.done()
    printSummary(project, result, { json: mode === 'json', warnings: project.warnings, zips, newKeys })
    return ExitCode.ok
  } finally {
    stop.dispose()
    renderer.done()
  }
}

/**
 * Ctrl-C (or SIGTERM) stops the run at its next step or key wait: wip/ is removed and the lock released,
 * then the CLI exits 130. The handler is then removed, so a second Ctrl-C ends the process at once (the
 * next run removes what it leaves).
 */
function stopOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const signals = ['SIGINT', 'SIGTERM'] as const
  const dispose = () => {
    for (const name of signals) process.off(name, onSignal)
  }
  function onSignal() {
    dispose()
    err('\nstopping: removing the unfinished kits (Ctrl-C again to quit at once)')
    controller.abort()
  }
  for (const name of signals) process.on(name, onSignal)
  return { signal: controller.signal, dispose }
}

/** `--key-source`, checked before anything is read or written. */
function keyMethodFlag(value: string | undefined): KeyMethod | undefined {
  return value === undefined ? undefined : parseKeyMethod(value, '--key-source')
}

/** `--nvflare-version`, checked before anything is read or written. */
function targetFlag(value: string | undefined): NvflareVersion | undefined {
  return value === undefined ? undefined : parseNvflareVersion(value, '--nvflare-version')
}

function generateSample(path: string, force: boolean): number {
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
async function noProjectFile(flags: ProvisionFlags): Promise<number> {
  if (process.stdin.isTTY) {
    const { runInit } = await import('./init.js')
    return runInit({ workspace: flags.workspace, nvflareVersion: flags.nvflareVersion })
  }
  throw new ProvisionError(
    'no-project-file',
    'no project file given, and standard input is not a terminal, so the setup wizard cannot ask',
    {
      hint: 'Run `provision -p project.yml` to provision a project file, `provision init --yes --name NAME --server HOST --clients N --admin EMAIL` to write one without questions, or `provision -g` for a commented sample.',
    },
  )
}
