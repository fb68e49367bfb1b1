import type { Command } from 'commander'
import { registerInit } from './init.js'
import { registerInspect } from './inspect.js'
import { registerJob } from './job.js'
import { registerProvision } from './provision.js'
import { registerVerify } from './verify.js'

/** Every command of the CLI, one line each. */
export function registerCommands(program: Command): void {
  registerProvision(program)
  registerInspect(program)
  registerJob(program)
  registerVerify(program)
  registerInit(program)
}
