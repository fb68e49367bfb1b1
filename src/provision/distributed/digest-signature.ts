import { constants, createHash, type KeyObject, privateEncrypt, randomBytes } from 'node:crypto'

/**
 * RSA-PSS over a SHA-256 digest the signer never saw the message of (RFC 8017 §8.1.1 and §9.1.1): what
 * the admin signs for a site's private key file, of which it only knows the SHA-256 from the request.
 * The signature equals one Node's `sign('sha256', file, {PSS, max salt})` makes over the file itself, so
 * NVFlare (and `verifyContent`) verify it against the file's bytes like any other signature.json entry.
 * Node offers no "sign a pre-hashed digest" for RSA-PSS, so the encoding is done here and the RSA
 * private operation by OpenSSL (`privateEncrypt` without padding).
 */

const HASH_BYTES = 32

function mgf1Sha256(seed: Buffer, length: number): Buffer {
  const blocks: Buffer[] = []
  for (let counter = 0; blocks.length * HASH_BYTES < length; counter++) {
    const c = Buffer.alloc(4)
    c.writeUInt32BE(counter)
    blocks.push(createHash('sha256').update(seed).update(c).digest())
  }
  return Buffer.concat(blocks).subarray(0, length)
}

/** EMSA-PSS-ENCODE(mHash) with SHA-256, MGF1-SHA-256 and the maximum salt length, as NVFlare signs. */
export function emsaPssEncode(digest: Uint8Array, modulusBits: number, salt?: Buffer): Buffer {
  if (digest.length !== HASH_BYTES) throw new Error(`expected a ${HASH_BYTES}-byte SHA-256 digest`)
  const emBits = modulusBits - 1
  const emLen = Math.ceil(emBits / 8)
  const saltLen = emLen - HASH_BYTES - 2
  const s = salt ?? randomBytes(saltLen)
  if (s.length !== saltLen) throw new Error(`expected a ${saltLen}-byte salt`)
  const h = createHash('sha256').update(Buffer.alloc(8)).update(digest).update(s).digest()
  const db = Buffer.concat([Buffer.alloc(emLen - saltLen - HASH_BYTES - 2), Buffer.from([1]), s])
  const mask = mgf1Sha256(h, db.length)
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!
  db[0]! &= 0xff >> (8 * emLen - emBits)
  return Buffer.concat([db, h, Buffer.from([0xbc])])
}

/** The base64 RSA-PSS signature of the content whose SHA-256 is `digest`. */
export function signSha256Digest(key: KeyObject, digest: Uint8Array): string {
  const bits = key.asymmetricKeyDetails?.modulusLength
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) throw new Error('expected an RSA private key')
  const em = emsaPssEncode(digest, bits)
  // The RSA primitive wants exactly k = ceil(bits / 8) bytes; EM is one byte shorter when bits = 8k + 1.
  const k = Math.ceil(bits / 8)
  const block = em.length === k ? em : Buffer.concat([Buffer.alloc(k - em.length), em])
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, block).toString('base64')
}
