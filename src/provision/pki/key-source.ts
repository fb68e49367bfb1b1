import { ExitCode, ProvisionError } from '../../errors.js'

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

/** How a key is made: by OpenSSL (`generateKeyPair`), or from two primes of our own search (rsa-keygen.mjs). */
export const KEY_METHODS = ['openssl', 'prime-search'] as const
/** One of KEY_METHODS (`ProvisionRequest.keySource`, `--key-source`). */
export type KeyMethod = (typeof KEY_METHODS)[number]

/** From this OpenSSL on, its own RSA-2048 keys are the default (issue 15). */
const FAST_OPENSSL = { major: 3, minor: 5 } as const

/** `3.5.1`, `3.0.15+quic`, `1.1.1w` → its major, minor and patch numbers; undefined when it is none of these. */
export function parseOpensslVersion(
  version: string,
): { major: number; minor: number; patch: number } | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version)
  if (!m) return undefined
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) }
}

/**
 * The default key method: OpenSSL when the runtime's OpenSSL (`process.versions.openssl`) is 3.5 or newer,
 * else our prime search (OpenSSL 3.0 takes 4-6 times as long per key). A version it cannot read counts as old.
 * Measured on 2 cores, CPU time per RSA-2048 key: Node 20.20 (OpenSSL 3.0.19) 157 ms, Node 24.22 (3.5.9)
 * 36 ms; our prime search 22-25 ms on either.
 */
export function defaultKeyMethod(opensslVersion: string | undefined = process.versions.openssl): KeyMethod {
  const v = parseOpensslVersion(opensslVersion ?? '')
  if (!v) return 'prime-search'
  const fast =
    v.major > FAST_OPENSSL.major || (v.major === FAST_OPENSSL.major && v.minor >= FAST_OPENSSL.minor)
  return fast ? 'openssl' : 'prime-search'
}

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
    hint: `choose one of ${KEY_METHODS.join(', ')} (default: openssl when the runtime has OpenSSL 3.5 or newer, else prime-search)`,
    exitCode: ExitCode.badInput,
  })
}
