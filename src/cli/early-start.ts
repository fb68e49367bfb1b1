import { startEarlyKeyPool } from '../provision/pki/key-pool.js'

const SUBCOMMANDS = new Set(['init', 'verify', 'inspect', 'job', 'help', 'request', 'approve', 'package'])
const NO_KEYS = new Set(['-g', '--generate', '-h', '--help', '-V', '--version'])

/** True when the arguments provision a project file (`provision -p FILE ...`), which makes RSA keys. */
export function provisionsProjectFile(args: readonly string[]): boolean {
  if (args.length === 0 || SUBCOMMANDS.has(args[0]!)) return false
  if (args.some((a) => NO_KEYS.has(a))) return false
  return args.some((a) => a === '-p' || a === '--project-file' || a.startsWith('--project-file='))
}

/**
 * Run by cli/main.ts before the rest of the CLI loads: key generation is most of a provisioning
 * run, so its workers start now rather than after the modules load and the project is read.
 */
export function startKeysEarly(args: readonly string[]): void {
  if (provisionsProjectFile(args)) startEarlyKeyPool()
}
