import { deflateSync } from 'node:zlib'
import { ZSTD_BLOCK_MAX } from '../../src/he-builder/zstd-frames.js'

/** Builders of hostile SEAL blobs: real zstd / zlib streams that inflate far beyond what SEAL could hold. */

const COMPRESSION = { none: 0, zlib: 1, zstd: 2 } as const

/** A SEAL 4.1 blob: the 16-byte header (magic 0xA15E, size including the header) and `payload`. */
export function sealBlob(payload: Uint8Array, compression: keyof typeof COMPRESSION): Uint8Array {
  const out = Buffer.alloc(16 + payload.length)
  out.writeUInt16LE(0xa15e, 0)
  out.writeUInt8(0x10, 2)
  out.writeUInt8(4, 3)
  out.writeUInt8(1, 4)
  out.writeUInt8(COMPRESSION[compression], 5)
  out.writeBigUInt64LE(BigInt(out.length), 8)
  out.set(payload, 16)
  return new Uint8Array(out)
}

function blockHeader(out: Buffer, at: number, type: number, size: number, last: boolean): void {
  const header = size * 8 + type * 2 + (last ? 1 : 0)
  out.writeUIntLE(header, at, 3)
}

/**
 * A valid zstd frame of RLE blocks (4 bytes each, 128 KiB of zeros each) that inflates to `bytes`
 * (rounded up to whole blocks), with no declared content size: libzstd inflates it without complaint.
 */
export function zstdRleBomb(bytes: number): Uint8Array {
  const blocks = Math.ceil(bytes / ZSTD_BLOCK_MAX)
  const out = Buffer.alloc(6 + blocks * 4)
  out.writeUInt32LE(0xfd2fb528, 0)
  out.writeUInt8(0x00, 4) // no content size, not single-segment, no checksum, no dictionary
  out.writeUInt8(7 << 3, 5) // window 2^17 = 128 KiB
  for (let i = 0; i < blocks; i++) blockHeader(out, 6 + i * 4, 1, ZSTD_BLOCK_MAX, i === blocks - 1)
  return new Uint8Array(out)
}

/** A small zstd frame that declares `declared` bytes of content (one raw block of `body`). */
export function zstdDeclaring(declared: number, body: Uint8Array = new Uint8Array(8)): Uint8Array {
  const out = Buffer.alloc(4 + 1 + 1 + 8 + 3 + body.length)
  out.writeUInt32LE(0xfd2fb528, 0)
  out.writeUInt8(0xc0, 4) // 8-byte content size, not single-segment
  out.writeUInt8(7 << 3, 5)
  out.writeBigUInt64LE(BigInt(declared), 6)
  blockHeader(out, 14, 0, body.length, true)
  out.set(body, 17)
  return new Uint8Array(out)
}

/** zlib (what SEAL's zlib mode writes) of `bytes` zeros: about 1 KB per MB. */
export function zlibBomb(bytes: number): Uint8Array {
  return new Uint8Array(deflateSync(Buffer.alloc(bytes), { level: 9 }))
}
