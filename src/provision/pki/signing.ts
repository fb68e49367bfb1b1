import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto'
import { lstat, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ProvisionError } from '../../errors.js'
import { FileMode, Layout } from '../layout.js'
import { pythonJsonDumps } from './py-json.js'

const signAsync = promisify(sign)

/** RSA-PSS with SHA-256, MGF1-SHA-256 and the maximum salt (222 bytes for RSA-2048), as NVFlare signs. */
const PSS_SIGN = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN }
/** Verification recovers the salt length from the signature, like NVFlare's `PSS.AUTO`. */
const PSS_VERIFY = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }

/** Imports the root CA key once for every signature of a run. */
export function loadSigningKey(keyPem: string): KeyObject {
  return createPrivateKey(keyPem)
}

/**
 * Signs contents with one key, once per distinct content: a kit's rootCA.pem, HE context, scripts and
 * local/ defaults are the same bytes in every kit, and a signature over bytes is valid wherever those
 * bytes are (NVFlare verifies each file's content against its entry). At 100 clients this makes 620
 * signatures instead of 1,219.
 */
export class ContentSigner {
  private readonly byDigest = new Map<string, Promise<string>>()
  /** The same bytes object again (one HE context buffer written into every client kit): no hashing. */
  private readonly byObject = new WeakMap<Uint8Array, Promise<string>>()

  constructor(private readonly key: KeyObject) {}

  /** The base64 signature of `data` (a string: its UTF-8 bytes), shared by every call on the same bytes. */
  sign(data: Uint8Array | string): Promise<string> {
    const seen = typeof data === 'string' ? undefined : this.byObject.get(data)
    if (seen) return seen
    const digest = createHash('sha256').update(data).digest('base64')
    let signature = this.byDigest.get(digest)
    if (signature === undefined) {
      signature = signContent(this.key, typeof data === 'string' ? Buffer.from(data, 'utf8') : data)
      this.byDigest.set(digest, signature)
    }
    if (typeof data !== 'string') this.byObject.set(data, signature)
    return signature
  }
}

/** base64 RSA-PSS signature. Runs on libuv's thread pool, so many signatures proceed in parallel. */
export async function signContent(key: KeyObject, data: Uint8Array): Promise<string> {
  const signature = await signAsync('sha256', data, { key, ...PSS_SIGN })
  return signature.toString('base64')
}

export function verifyContent(
  publicKey: KeyObject | string,
  data: Uint8Array,
  signatureB64: string,
): boolean {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey
  try {
    return verify('sha256', data, { key, ...PSS_VERIFY }, Buffer.from(signatureB64, 'base64'))
  } catch {
    return false
  }
}

/** An entry of a signed folder, with its size and mtime. */
export interface SignedEntry {
  name: string
  isDir: boolean
  size: number
  mtimeMs: number
}

/** What a signed folder holds: the entries signature.json covers (every name except itself). */
export async function signedEntries(dir: string): Promise<SignedEntry[]> {
  const names = (await readdir(dir)).filter((n) => n !== Layout.signature).sort()
  return Promise.all(
    names.map(async (name) => {
      const st = await lstat(join(dir, name))
      if (!st.isFile() && !st.isDirectory()) {
        throw new ProvisionError(
          'unsignable-entry',
          `cannot sign ${join(dir, name)}: not a regular file or folder`,
          {
            hint: 'kits must not contain symbolic links or special files',
          },
        )
      }
      return { name, isDir: st.isDirectory(), size: st.size, mtimeMs: st.mtimeMs }
    }),
  )
}

/** The bytes signed for an entry: a file's content, or a sub-folder's name in UTF-8. */
export async function signedBytes(dir: string, entry: { name: string; isDir: boolean }): Promise<Uint8Array> {
  return entry.isDir ? Buffer.from(entry.name, 'utf8') : readFile(join(dir, entry.name))
}

/** How the entries of a signed folder compare with its signature.json, entry by entry in name order. */
export interface SignedFolderComparison {
  entries: { name: string; status: 'verified' | 'unsigned' | 'mismatch' }[]
  /** Names signature.json lists that are no longer in the folder. */
  missing: string[]
}

/** Checks every entry of `dir` against `doc` (its parsed signature.json) with the root public key. */
export async function compareSignedFolder(
  dir: string,
  key: KeyObject,
  doc: Record<string, unknown>,
): Promise<SignedFolderComparison> {
  const present = await signedEntries(dir)
  const names = new Set(present.map((e) => e.name))
  const entries = await Promise.all(
    present.map(async (e) => {
      const signature = doc[e.name]
      if (typeof signature !== 'string') return { name: e.name, status: 'unsigned' as const }
      const good = verifyContent(key, await signedBytes(dir, e), signature)
      return { name: e.name, status: good ? ('verified' as const) : ('mismatch' as const) }
    }),
  )
  return { entries, missing: Object.keys(doc).filter((name) => !names.has(name)) }
}

/** A file's content as this run wrote it, when it is known (and unchanged) without reading it back. */
export type KnownContent = (absPath: string, entry: SignedEntry) => string | Uint8Array | undefined

/**
 * Writes `<dir>/signature.json` (Python `json.dumps` format, like NVFlare) and returns the number of
 * entries. A file is read only when `known` does not have its content; contents the signer has seen
 * before are not signed again.
 */
export async function signFolder(
  dir: string,
  signer: ContentSigner,
  known: KnownContent = () => undefined,
): Promise<number> {
  const entries = await signedEntries(dir)
  const signatures = await Promise.all(
    entries.map(async (e) => {
      const content = e.isDir ? undefined : known(join(dir, e.name), e)
      return signer.sign(content ?? (await signedBytes(dir, e)))
    }),
  )
  const doc: Record<string, string> = {}
  entries.forEach((e, i) => {
    doc[e.name] = signatures[i]!
  })
  await writeFile(join(dir, Layout.signature), pythonJsonDumps(doc), { mode: FileMode.file })
  return entries.length
}
