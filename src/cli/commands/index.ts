import type { Command } from 'commander'
import type { KeySource } from '../../provision/pki/key-source.js'
import { registerApprove } from './approve.js'
import { registerInit } from './init.js'
import { registerInspect } from './inspect.js'
import { registerJob } from './job.js'
import { registerPackage } from './package.js'
import { registerPoc } from './poc.js'
import { registerProvision } from './provision.js'
import { DISTRIBUTED_HELP, registerRequest } from './request.js'
import { registerVerify } from './verify.js'

/** What main.ts hands to the commands. */
export interface CliDeps {
  /** The key pool main.ts started before the CLI loaded (for `provision -p`); main.ts closes it. */
  earlyKeys?: KeySource
}

/** Every command of the CLI, one line each. */
export function registerCommands(program: Command, deps: CliDeps = {}): void {
  registerProvision(program, deps.earlyKeys)
  registerInspect(program)
  registerJob(program)
  registerPoc(program)
  registerVerify(program)
  registerInit(program)
  registerRequest(program)
  registerApprove(program)
  registerPackage(program)
  program.addHelpText('after', DISTRIBUTED_HELP)
}
