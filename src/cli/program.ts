import { readFileSync } from 'node:fs'
import { Command, CommanderError } from 'commander'
import { ExitCode, type ExitCodeValue, isProvisionError } from '../errors.js'
import { type CliDeps, registerCommands } from './commands/index.js'
import { err, takeResult } from './run.js'

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

/** Runs the CLI on `argv`; returns the exit code. `deps.earlyKeys` stays open: main.ts closes it. */
export async function main(argv: string[], deps: CliDeps = {}): Promise<ExitCodeValue> {
  const program = new Command('provision')
    .description(
      'Provision NVIDIA FLARE federations with homomorphic encryption: signed startup kits for every site.',
    )
    .version(version(), '-V, --version')
    .exitOverride()
    .enablePositionalOptions()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })
  registerCommands(program, deps)
  try {
    await program.parseAsync(argv, { from: 'user' })
    return takeResult()
  } catch (error) {
    return reportError(error)
  }
}

function reportError(error: unknown): ExitCodeValue {
  if (error instanceof CommanderError) {
    // --help and --version end here with exit code 0; usage errors are bad input.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badInput
  }
  if (isProvisionError(error)) {
    err(`error: ${error.message}`)
    for (const problem of error.problems) err(`  - ${problem}`)
    if (error.hint) err(`Hint: ${error.hint}`)
    return error.exitCode
  }
  err('internal error (a bug in fedforge; please report it with the trace below):')
  err(error instanceof Error ? (error.stack ?? String(error)) : String(error))
  return ExitCode.internal
}
