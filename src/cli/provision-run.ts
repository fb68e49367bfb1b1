// The provision run behind `provision -p FILE` and `init`'s "provision now", without commander, so that
// both commands import it and neither imports the other.
import { resolve } from 'node:path'
import { ExitCode, type ExitCodeValue } from '../errors.js'
import type { ProvisionEvent } from '../provision/events.js'
import { type KeyMethod, type KeySource, parseKeyMethod } from '../provision/pki/key-source.js'
import { loadProjectFile } from '../provision/project/load.js'
import { provision } from '../provision/provisioner.js'
import { type NvflareVersion, parseNvflareVersion } from '../provision/targets/version.js'
import { printSummary, type ZipLine } from './commands/summary.js'
import { killPointHook } from './kill-point.js'
import { createRenderer, renderMode } from './render.js'
import { err } from './run.js'
import { stopOnSignals } from './stop-signals.js'

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

/**
 * Provisions `flags.projectFile`: what `provision -p FILE` and `init --provision` run. `earlyKeys`: the
 * pool main.ts started for this run (it closes it); without it the run makes its own keys.
 */
export async function runProvision(
  flags: ProvisionFlags & { projectFile: string },
  earlyKeys?: KeySource,
): Promise<ExitCodeValue> {
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
  const stop = stopProvisioning()
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
 * then the CLI exits 130. A second Ctrl-C ends the process at once (the next run removes what it leaves).
 */
const stopProvisioning = () =>
  stopOnSignals(['stopping: removing the unfinished kits (Ctrl-C again to quit at once)'])

/** `--key-source`, checked before anything is read or written. */
function keyMethodFlag(value: string | undefined): KeyMethod | undefined {
  return value === undefined ? undefined : parseKeyMethod(value, '--key-source')
}

/** `--nvflare-version`, checked before anything is read or written. */
function targetFlag(value: string | undefined): NvflareVersion | undefined {
  return value === undefined ? undefined : parseNvflareVersion(value, '--nvflare-version')
}
