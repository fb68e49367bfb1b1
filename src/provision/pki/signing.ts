import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  createSign,
  createVerify,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto'
import { lstat, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { ProvisionError } from '../../errors.js'
import { fsError } from '../fs/fs-error.js'
import { streamFile } from '../fs/read-bounded.js'
import { writeFileWhole } from '../fs/write-whole.js'
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

  /** The signature of a file's content, read as a stream (a file this run did not write itself). */
  async signFile(path: string): Promise<string> {
    const signer = createSign('sha256')
    streamSigned(path, (chunk) => signer.update(chunk))
    return signer.sign({ key: this.key, ...PSS_SIGN }).toString('base64')
  }
}

/** Streams a signed file: a regular file, not a link, of any size (memory stays at one chunk). */
function streamSigned(path: string, onChunk: (chunk: Buffer) => void): void {
  streamFile(path, { what: 'signed file', noFollow: true }, onChunk)
}

/** Verifies the signature of a file's content, hashing the file as a stream. */
export function verifyFileContent(key: KeyObject, path: string, signatureB64: string): boolean {
  const verifier = createVerify('sha256')
  streamSigned(path, (chunk) => verifier.update(chunk))
  try {
    return verifier.verify({ key, ...PSS_VERIFY }, Buffer.from(signatureB64, 'base64'))
  } catch {
    return false
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
          'unsupported-entry',
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

/** What is signed for a sub-folder: its name in UTF-8 (a file's content is streamed instead). */
const folderBytes = (entry: { name: string }) => Buffer.from(entry.name, 'utf8')

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
      const good = e.isDir
        ? verifyContent(key, folderBytes(e), signature)
        : verifyFileContent(key, join(dir, e.name), signature)
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
    entries.map((e) => {
      if (e.isDir) return signer.sign(folderBytes(e))
      const content = known(join(dir, e.name), e)
      return content === undefined ? signer.signFile(join(dir, e.name)) : signer.sign(content)
    }),
  )
  const doc: Record<string, string> = {}
  entries.forEach((e, i) => {
    doc[e.name] = signatures[i]!
  })
  const file = join(dir, Layout.signature)
  try {
    writeFileWhole(file, pythonJsonDumps(doc), FileMode.file)
  } catch (error) {
    throw fsError(error, file, 'write')
  }
  return entries.length
}
