import { availableParallelism } from 'node:os'
import { KeyPool } from '../provision/pki/key-pool.js'
import { KEY_METHODS, type KeyMethod } from '../provision/pki/key-source.js'

const SUBCOMMANDS = new Set(['init', 'verify', 'inspect', 'job', 'help', 'request', 'approve', 'package'])
const NO_KEYS = new Set(['-g', '--generate', '-h', '--help', '-V', '--version'])

/** True when the arguments provision a project file (`provision -p FILE ...`), which makes RSA keys. */
export function provisionsProjectFile(args: readonly string[]): boolean {
  if (args.length === 0 || SUBCOMMANDS.has(args[0]!)) return false
  if (args.some((a) => NO_KEYS.has(a))) return false
  return args.some((a) => a === '-p' || a === '--project-file' || a.startsWith('--project-file='))
}

/**
 * The `--key-source` of the arguments: undefined for none (the default method), null for a value that is no
 * method (the command then reports it; no key is made early).
 */
export function keySourceFlag(args: readonly string[]): KeyMethod | undefined | null {
  const at = args.findLastIndex((a) => a === '--key-source' || a.startsWith('--key-source='))
  if (at < 0) return undefined
  const arg = args[at]!
  const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[at + 1]
  return KEY_METHODS.find((m) => m === value) ?? null
}

/**
 * Run by cli/main.ts before the rest of the CLI loads: key generation is most of a provisioning run, so its
 * workers start now rather than after the modules load and the project is read, and each makes two keys
 * meanwhile (about a third of a second in which a core would idle). At most 4 workers start before the
 * project is known (a small project on a big machine needs few); the pool starts more, up to one per core,
 * when the cert builder asks for its keys. The caller passes the pool to the provision command and closes it;
 * keys a run did not need never leave memory.
 */
export function startKeysEarly(args: readonly string[]): KeyPool | undefined {
  const method = keySourceFlag(args)
  if (method === null || !provisionsProjectFile(args)) return undefined
  const pool = new KeyPool({ method, size: Math.min(4, availableParallelism()) })
  pool.prefetch(2 * pool.size)
  return pool
}
