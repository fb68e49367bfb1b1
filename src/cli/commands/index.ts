import type { Command } from 'commander'

/** Every command of the CLI, one line each. */
export function registerCommands(program: Command): void {
  void program
}
