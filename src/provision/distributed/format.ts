import { createHash, X509Certificate } from 'node:crypto'
import { ExitCode, ProvisionError } from '../../errors.js'
import { readFileBounded } from '../fs/read-bounded.js'

/** Shared pieces of the distributed flow's files: bounded reads, field checks, hashes, fingerprints. */

/** The version of the request and approval formats this code writes and reads. */
export const FORMAT_VERSION = 1

export const FormatName = {
  request: 'fedforge-request',
  approval: 'fedforge-approval',
} as const

/** A request is a CSR and four short fields: a few KB. */
export const MAX_REQUEST_BYTES = 64 * 1024
/** An approval holds a kit's files and a sealed HE context (a few MB for the largest CKKS parameters). */
export const MAX_APPROVAL_BYTES = 64 * 1024 * 1024

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A bad request or approval file: exit 2, naming the file and what is wrong. */
export function badFile(where: string, detail: string, hint?: string, cause?: unknown): ProvisionError {
  return new ProvisionError('distributed-bad-file', `${where}: ${detail}`, {
    hint: hint ?? 'ask for the file again; it is damaged, truncated, or not the file you meant',
    exitCode: ExitCode.badInput,
    cause,
  })
}

/** Reads a regular file of at most `max` bytes (never a FIFO or a device, never more than `max`). */
export function readBounded(path: string, max: number, what: string): Buffer {
  return readFileBounded(path, { what, maxBytes: max })
}

/** The JSON object a file holds, or a clear error (not UTF-8, not JSON, not an object, wrong format). */
export function parseFormatted(bytes: Uint8Array, format: string, where: string): Record<string, unknown> {
  let data: unknown
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes))
  } catch (cause) {
    throw badFile(where, 'not a JSON file (truncated or damaged?)', undefined, cause)
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data))
    throw badFile(where, 'not a JSON object')
  const obj = data as Record<string, unknown>
  if (obj['format'] !== format) {
    throw badFile(where, `not a ${format} file (format is ${JSON.stringify(obj['format'] ?? null)})`)
  }
  if (obj['format_version'] !== FORMAT_VERSION) {
    throw badFile(
      where,
      `format_version ${JSON.stringify(obj['format_version'] ?? null)} is not supported (this fedforge reads ${FORMAT_VERSION})`,
      'use the same fedforge version at the site and at the admin',
    )
  }
  return obj
}

/** Typed field readers: each names the key and what was expected. */
export class Fields {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly where: string,
  ) {}

  string(key: string, max = 4096, pattern?: RegExp): string {
    const value = this.obj[key]
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
      throw badFile(this.where, `"${key}" must be a non-empty string of at most ${max} characters`)
    }
    if (pattern && !pattern.test(value)) throw badFile(this.where, `"${key}" is not in the expected form`)
    return value
  }

  optionalString(key: string, max = 4096): string | undefined {
    return this.obj[key] === undefined ? undefined : this.string(key, max)
  }

  object(key: string): Fields {
    const value = this.obj[key]
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw badFile(this.where, `"${key}" must be an object`)
    }
    return new Fields(value as Record<string, unknown>, `${this.where}: ${key}`)
  }

  array(key: string, max: number): Fields[] {
    const value = this.obj[key]
    if (!Array.isArray(value) || value.length > max) {
      throw badFile(this.where, `"${key}" must be a list of at most ${max} entries`)
    }
    return value.map((item, i) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw badFile(this.where, `${key}[${i}] must be an object`)
      }
      return new Fields(item as Record<string, unknown>, `${this.where}: ${key}[${i}]`)
    })
  }

  /** Base64 (standard alphabet, padded) decoded; the length is checked before decoding. */
  base64(key: string, maxBytes: number): Buffer {
    const text = this.string(key, Math.ceil(maxBytes / 3) * 4, BASE64)
    return Buffer.from(text, 'base64')
  }

  integer(key: string, min: number, max: number): number {
    const value = this.obj[key]
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw badFile(this.where, `"${key}" must be a whole number from ${min} to ${max}`)
    }
    return value
  }

  /** String entries of an object, e.g. signature.json entries; `max` entries at most. */
  stringMap(key: string, max: number): Record<string, string> {
    const obj = this.object(key).raw()
    const entries = Object.entries(obj)
    if (entries.length > max) throw badFile(this.where, `"${key}" has more than ${max} entries`)
    for (const [name, value] of entries) {
      if (typeof value !== 'string' || !BASE64.test(value)) {
        throw badFile(this.where, `${key}.${name} must be a base64 string`)
      }
    }
    return obj as Record<string, string>
  }

  raw(): Record<string, unknown> {
    return this.obj
  }
}

export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
export const SHA256_HEX = /^[0-9a-f]{64}$/

/** OpenSSL-style SHA-256 fingerprint of a certificate, as NVFlare 2.8 prints it: `SHA256:AA:BB:…`. */
export function certFingerprint(certPem: string): string {
  return `SHA256:${new X509Certificate(certPem).fingerprint256}`
}

/**
 * A fingerprint as the user may paste it (`SHA256:AA:BB:…`, `sha256 Fingerprint=AA:BB:…` from openssl,
 * `AA:BB:…`, or 64 hex digits) in the form of `certFingerprint`, or undefined when it is none of these.
 */
export function normalizeFingerprint(text: string): string | undefined {
  const stripped = text
    .trim()
    .replace(/^sha256\s+fingerprint\s*=\s*/i, '')
    .replace(/^sha256\s*[:=]\s*/i, '')
  const compact = /^[0-9a-f]{2}(?::[0-9a-f]{2}){31}$/i.test(stripped) ? stripped.replace(/:/g, '') : stripped
  if (!/^[0-9a-f]{64}$/i.test(compact)) return undefined
  return `SHA256:${compact.toUpperCase().match(/../g)!.join(':')}`
}
