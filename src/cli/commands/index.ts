import type { Command } from 'commander'
import { registerInspect } from './inspect.js'

/** Every command of the CLI, one line each. */
export function registerCommands(program: Command): void {
  void program
  registerInspect(program)
}
