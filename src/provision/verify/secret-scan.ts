import { createPrivateKey } from 'node:crypto'
import { streamFile } from '../fs/read-bounded.js'

/**
 * Finds secret material in a file by its content, whatever the file is called: PEM private keys (any
 * kind), DER private keys (PKCS#8, PKCS#1, SEC1; confirmed by parsing them), and TenSEAL contexts that
 * carry a secret key (a client context, the state's HE key). The file is streamed in chunks; a window
 * of the bytes before and after each chunk edge catches what straddles it, so no file is too big to scan
 * and memory stays at one chunk.
 */
export type SecretKind = 'PEM private key' | 'DER private key' | 'HE secret key'

/** Bytes a detector may look at before a candidate position. */
const BACK = 32
/** Bytes a detector may look at after it: the longest DER key we parse (RSA-8192 PKCS#8 is ~4.8 KB). */
const AHEAD = 16 * 1024

/** Looks for one kind of secret at positions [from, to) of `buf`, reading up to BACK/AHEAD around. */
type Detector = (buf: Buffer, from: number, to: number) => boolean

const PEM_BEGIN = Buffer.from('-----BEGIN ', 'latin1')
const PEM_PRIVATE = /^-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/

const pemKey: Detector = (buf, from, to) => {
  for (let i = buf.indexOf(PEM_BEGIN, from); i !== -1 && i < to; i = buf.indexOf(PEM_BEGIN, i + 1)) {
    if (PEM_PRIVATE.test(buf.toString('latin1', i, Math.min(buf.length, i + 80)))) return true
  }
  return false
}

/** The DER length of a SEQUENCE whose header ends just before `at` (`30 LL`, `30 81 LL`, `30 82 HH LL`). */
function sequenceBefore(buf: Buffer, at: number): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = []
  if (at >= 2 && buf[at - 2] === 0x30 && buf[at - 1]! < 0x80)
    out.push({ start: at - 2, end: at + buf[at - 1]! })
  if (at >= 3 && buf[at - 3] === 0x30 && buf[at - 2] === 0x81)
    out.push({ start: at - 3, end: at + buf[at - 1]! })
  if (at >= 4 && buf[at - 4] === 0x30 && buf[at - 3] === 0x82)
    out.push({ start: at - 4, end: at + buf.readUInt16BE(at - 2) })
  return out
}

function parsesAsKey(der: Buffer): boolean {
  for (const type of ['pkcs8', 'pkcs1', 'sec1'] as const) {
    try {
      createPrivateKey({ key: der, format: 'der', type })
      return true
    } catch {
      // not this encoding
    }
  }
  return false
}

/** `02 01 00` / `02 01 01`: INTEGER version 0 or 1, the first field of every DER private key. */
const VERSIONS = [Buffer.from([0x02, 0x01, 0x00]), Buffer.from([0x02, 0x01, 0x01])]

const derKey: Detector = (buf, from, to) => {
  for (const version of VERSIONS) {
    for (let i = buf.indexOf(version, from); i !== -1 && i < to; i = buf.indexOf(version, i + 1)) {
      for (const seq of sequenceBefore(buf, i)) {
        if (
          seq.end - seq.start > 40 &&
          seq.end <= buf.length &&
          parsesAsKey(buf.subarray(seq.start, seq.end))
        )
          return true
      }
    }
  }
  return false
}

function varint(value: number): Buffer {
  const bytes: number[] = []
  let v = value
  do {
    bytes.push((v % 128) | (v >= 128 ? 0x80 : 0))
    v = Math.floor(v / 128)
  } while (v > 0)
  return Buffer.from(bytes)
}

/** `bytes` end exactly at `at` in `buf`. */
function endsAt(buf: Buffer, at: number, bytes: Buffer): boolean {
  return at >= bytes.length && buf.subarray(at - bytes.length, at).equals(bytes)
}

/** SEAL's blob header: magic 0xA15E (little-endian) and a header size of 16. */
const SEAL_MAGIC = Buffer.from([0x5e, 0xa1, 0x10])

/**
 * A TenSEAL `private_context` (field 3) whose first field is `secret_key` (field 1) holding a SEAL blob:
 * `1a <len> 0a <blob size> 5e a1 10 ...`, with the sizes consistent with the blob's own header.
 */
const tensealSecret: Detector = (buf, from, to) => {
  for (let i = buf.indexOf(SEAL_MAGIC, from); i !== -1 && i < to; i = buf.indexOf(SEAL_MAGIC, i + 1)) {
    if (i + 16 > buf.length) continue
    const size = Number(buf.readBigUInt64LE(i + 8))
    if (size < 16 || size > 2 ** 40) continue
    const inner = Buffer.concat([Buffer.from([0x0a]), varint(size)])
    if (!endsAt(buf, i, inner)) continue
    const at = i - inner.length
    // private_context is the secret key field plus up to two bool fields (2 bytes each)
    for (let extra = 0; extra <= 4; extra += 2) {
      if (endsAt(buf, at, Buffer.concat([Buffer.from([0x1a]), varint(inner.length + size + extra)])))
        return true
    }
  }
  return false
}

const DETECTORS: [SecretKind, Detector][] = [
  ['PEM private key', pemKey],
  ['DER private key', derKey],
  ['HE secret key', tensealSecret],
]

/**
 * The kinds of secret material in the regular file at `path` (not following a link), streamed. One work
 * buffer holds the carried bytes and the next chunk, so memory stays at about one chunk: a fresh buffer per
 * chunk is garbage that some V8 versions collect late (Node 24 reached 290 MB of RSS on a 400 MB file).
 */
export function scanForSecrets(path: string): Set<SecretKind> {
  const found = new Set<SecretKind>()
  let work = Buffer.alloc(0)
  // work[0, carried) holds the bytes not yet scanned as a candidate position, plus BACK bytes before them
  let carried = 0
  let pending = 0
  const scan = (buf: Buffer, end: number) => {
    for (const [kind, detect] of DETECTORS) if (!found.has(kind) && detect(buf, pending, end)) found.add(kind)
  }
  streamFile(path, { what: 'kit file', noFollow: true }, (chunk) => {
    const length = carried + chunk.length
    if (work.length < length) {
      const grown = Buffer.allocUnsafe(length)
      work.copy(grown, 0, 0, carried)
      work = grown
    }
    chunk.copy(work, carried)
    const buf = work.subarray(0, length)
    const end = Math.max(pending, length - AHEAD)
    scan(buf, end)
    const keep = Math.max(0, end - BACK)
    work.copyWithin(0, keep, length)
    carried = length - keep
    pending = end - keep
  })
  scan(work.subarray(0, carried), carried)
  return found
}
