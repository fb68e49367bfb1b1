import {
  constants,
  createCipheriv,
  createDecipheriv,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto'
import { ExitCode, ProvisionError } from '../../errors.js'

/**
 * The sealed envelope (format 1): a file sealed to one site's RSA public key, so that only the holder of
 * that site's private key can open it. Hybrid: a random AES-256-GCM key encrypts the data; RSA-OAEP
 * (SHA-256, MGF1-SHA-256, empty label) wraps that key. Layout, big-endian:
 *
 *   "FFSE" | version (1 byte, = 1) | k (2 bytes) | wrapped key (k bytes) | IV (12) | tag (16) | ciphertext
 *
 * k is the RSA modulus size in bytes. The GCM associated data is the first 7 bytes (magic, version, k),
 * then the site name in UTF-8, a 0 byte, and the request's SHA-256 (32 bytes): an envelope opens only for
 * the site and the request it was made for.
 */

const MAGIC = Buffer.from('FFSE', 'ascii')
/** The format version written into every sealed envelope. */
export const ENVELOPE_VERSION = 1
const HEADER_BYTES = 7
const IV_BYTES = 12
const TAG_BYTES = 16
const AES_KEY_BYTES = 32
const OAEP = { padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' } as const

/** Whom and what an envelope is for: bound into the GCM associated data. */
export interface SealBinding {
  siteName: string
  /** The request's SHA-256, hex. */
  requestSha256: string
}

function aad(header: Buffer, binding: SealBinding): Buffer {
  const hash = Buffer.from(binding.requestSha256, 'hex')
  if (hash.length !== 32) throw new Error('seal binding: the request hash must be 32 bytes of hex')
  return Buffer.concat([header, Buffer.from(binding.siteName, 'utf8'), Buffer.from([0]), hash])
}

function modulusBytes(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) throw new Error('a seal needs an RSA key')
  return Math.ceil(bits / 8)
}

/** Seals `data` to `publicKey` for `binding`. */
export function sealTo(publicKey: KeyObject, data: Uint8Array, binding: SealBinding): Buffer {
  const k = modulusBytes(publicKey)
  const header = Buffer.alloc(HEADER_BYTES)
  MAGIC.copy(header)
  header.writeUInt8(ENVELOPE_VERSION, 4)
  header.writeUInt16BE(k, 5)
  const aesKey = randomBytes(AES_KEY_BYTES)
  const iv = randomBytes(IV_BYTES)
  const wrapped = publicEncrypt({ key: publicKey, ...OAEP }, aesKey)
  const cipher = createCipheriv('aes-256-gcm', aesKey, iv, { authTagLength: TAG_BYTES })
  cipher.setAAD(aad(header, binding))
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()])
  return Buffer.concat([header, wrapped, iv, cipher.getAuthTag(), ciphertext])
}

function sealError(where: string, detail: string, hint: string): ProvisionError {
  return new ProvisionError('sealed-envelope', `${where}: ${detail}`, { hint, exitCode: ExitCode.badInput })
}

const DAMAGED = 'ask the admin for the approval again; the file was changed or cut short on the way'

/** Opens an envelope with the site's private key; every failure is a clear ProvisionError (exit 2). */
export function openSealed(
  privateKey: KeyObject,
  envelope: Uint8Array,
  binding: SealBinding,
  where: string,
): Buffer {
  const buf = Buffer.from(envelope)
  if (buf.length < HEADER_BYTES || !buf.subarray(0, 4).equals(MAGIC)) {
    throw sealError(where, 'not a sealed envelope', DAMAGED)
  }
  const version = buf.readUInt8(4)
  if (version !== ENVELOPE_VERSION) {
    throw sealError(
      where,
      `sealed envelope version ${version} is not supported (this fedforge opens ${ENVELOPE_VERSION})`,
      'use the same fedforge version as the admin',
    )
  }
  const k = buf.readUInt16BE(5)
  const own = modulusBytes(privateKey)
  if (k !== own) {
    throw sealError(
      where,
      `sealed to an RSA key of ${k * 8} bits, but this site's key has ${own * 8}`,
      'this approval was sealed to another key: use the request folder it was made for',
    )
  }
  if (buf.length < HEADER_BYTES + k + IV_BYTES + TAG_BYTES)
    throw sealError(where, 'the sealed envelope is truncated', DAMAGED)
  let aesKey: Buffer
  try {
    aesKey = privateDecrypt({ key: privateKey, ...OAEP }, buf.subarray(HEADER_BYTES, HEADER_BYTES + k))
  } catch {
    throw sealError(
      where,
      "the sealed envelope does not open with this site's key",
      'it was sealed to another key (another request), or damaged: use the request folder this approval was made for',
    )
  }
  if (aesKey.length !== AES_KEY_BYTES)
    throw sealError(where, 'the sealed envelope holds no AES-256 key', DAMAGED)
  const ivAt = HEADER_BYTES + k
  const decipher = createDecipheriv('aes-256-gcm', aesKey, buf.subarray(ivAt, ivAt + IV_BYTES), {
    authTagLength: TAG_BYTES,
  })
  decipher.setAAD(aad(buf.subarray(0, HEADER_BYTES), binding))
  decipher.setAuthTag(buf.subarray(ivAt + IV_BYTES, ivAt + IV_BYTES + TAG_BYTES))
  try {
    return Buffer.concat([decipher.update(buf.subarray(ivAt + IV_BYTES + TAG_BYTES)), decipher.final()])
  } catch {
    throw sealError(
      where,
      `the sealed envelope fails its integrity check (tampered, truncated, or sealed for another site or request than "${binding.siteName}")`,
      DAMAGED,
    )
  }
}
