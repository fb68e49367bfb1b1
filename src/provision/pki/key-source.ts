import { ExitCode, ProvisionError } from '../../errors.js'
import { KEY_METHODS, type KeyMethod } from './key-makers.mjs'

/**
 * Where the cert builder gets private keys from: a worker pool (key-pool.ts), a pool the CLI started early,
 * or fixed keys in tests. It is passed in with the provision request; there is no process-wide one.
 */
export interface KeySource {
  /** Names the source in the summary and in `--json`: `openssl-3.5.1`, `prime-search`, or your own. */
  readonly name: string
  /**
   * Asks for keys to be made in the background until `count` are ready or being made (a hint; `take`
   * works without it).
   */
  prefetch(count: number): void
  /** The next key, PEM PKCS#1 ("BEGIN RSA PRIVATE KEY"), RSA-2048, e = 65537. */
  take(): Promise<string>
  close(): Promise<void>
}

// the methods and their type live beside the code that makes keys (key-makers.mjs, which the workers load)
export { KEY_METHODS, type KeyMethod } from './key-makers.mjs'

/**
 * The key method of a run that names none: our prime search, on every runtime. OpenSSL was to be the
 * default from OpenSSL 3.5 on, where it was thought as fast, but it is not (`npm run bench` prints both on
 * the Node it runs on). CPU time per RSA-2048 key on 2 cores: Node 24.22 (OpenSSL 3.5.9) 36.8 ms, Node 20.20
 * (3.0.19) 140 ms, the prime search 21-29 ms on either. At 100 clients on 2 cores OpenSSL made provisioning
 * a fifth slower. `--key-source openssl` (`keySource: 'openssl'`) chooses it.
 */
export const DEFAULT_KEY_METHOD: KeyMethod = 'prime-search'

/** What the summary calls a method: `openssl-<the runtime's OpenSSL version>` or `prime-search`. */
export function keyMethodName(
  method: KeyMethod,
  opensslVersion: string | undefined = process.versions.openssl,
): string {
  return method === 'openssl' ? `openssl-${opensslVersion ?? 'unknown'}` : method
}

/** A key method from a flag or a library caller; `where` names it in the message (`--key-source`). */
export function parseKeyMethod(value: unknown, where: string): KeyMethod {
  const method = KEY_METHODS.find((m) => m === value)
  if (method) return method
  throw new ProvisionError('bad-key-source', `${where}: unknown key source ${JSON.stringify(value)}`, {
    hint: `choose one of ${KEY_METHODS.join(', ')} (default: ${DEFAULT_KEY_METHOD})`,
    exitCode: ExitCode.badInput,
  })
}
