/**
 * How large a zstd stream can inflate, read from its frame and block headers alone (RFC 8878), without
 * inflating it. SEAL inflates a compressed blob whole before it parses it, so this is how a blob is bounded
 * before SEAL sees it. Node 20 has no zstd; SEAL's own (libzstd, inside node-seal's WebAssembly) does the
 * inflating afterwards.
 */

/** The most one zstd block can regenerate (Block_Maximum_Size is at most 128 KiB). */
export const ZSTD_BLOCK_MAX = 128 * 1024

const FRAME_MAGIC = 0xfd2fb528
/** Skippable frames: 0x184D2A50 to 0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0
const SKIPPABLE_MAGIC = 0x184d2a50

export interface ZstdBound {
  /** What the frames declare (Frame_Content_Size), or undefined when a frame does not say. */
  declared: number | undefined
  /**
   * The most libzstd can write before it fails: raw and RLE blocks regenerate exactly their size, a
   * compressed block at most Block_Maximum_Size = min(window, 128 KiB) (libzstd refuses a block that
   * regenerates more). It is at most one block more than `declared` for what SEAL writes.
   */
  worst: number
}

/** Thrown for a stream libzstd would refuse anyway; the caller turns it into a user-facing error. */
export class ZstdFormatError extends Error {}

class Reader {
  at = 0
  constructor(private readonly bytes: Uint8Array) {}

  take(count: number): Uint8Array {
    if (this.at + count > this.bytes.length) throw new ZstdFormatError('the zstd stream is truncated')
    const out = this.bytes.subarray(this.at, this.at + count)
    this.at += count
    return out
  }

  /** Little-endian unsigned integer of 1 to 8 bytes (exact up to 2^53). */
  uint(count: number): number {
    let value = 0
    const bytes = this.take(count)
    for (let i = count - 1; i >= 0; i--) value = value * 256 + (bytes[i] as number)
    return value
  }

  get done(): boolean {
    return this.at >= this.bytes.length
  }
}

/** Walks every frame of `stream`; throws ZstdFormatError where libzstd would fail. */
export function zstdBound(stream: Uint8Array): ZstdBound {
  const reader = new Reader(stream)
  let declared: number | undefined = 0
  let worst = 0
  if (reader.done) throw new ZstdFormatError('the zstd stream is empty')
  while (!reader.done) {
    const magic = reader.uint(4)
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      reader.take(reader.uint(4))
      continue
    }
    if (magic !== FRAME_MAGIC) throw new ZstdFormatError('not a zstd frame (bad magic number)')
    const frame = readFrame(reader)
    declared = declared === undefined || frame.declared === undefined ? undefined : declared + frame.declared
    worst += frame.worst
  }
  return { declared, worst }
}

function readFrame(reader: Reader): ZstdBound {
  const descriptor = reader.uint(1)
  const sizeFlag = descriptor >> 6
  const singleSegment = (descriptor & 0x20) !== 0
  if (descriptor & 0x08) throw new ZstdFormatError('a zstd frame header has its reserved bit set')
  if (descriptor & 0x03) throw new ZstdFormatError('the zstd frame needs a dictionary (SEAL uses none)')
  let window = 0
  if (!singleSegment) {
    const w = reader.uint(1)
    const base = 2 ** (10 + (w >> 3))
    window = base + (base / 8) * (w & 7)
  }
  const sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][sizeFlag] as number
  let declared: number | undefined
  if (sizeBytes > 0) declared = reader.uint(sizeBytes) + (sizeBytes === 2 ? 256 : 0)
  if (singleSegment) window = declared as number
  const worst = readBlocks(reader, Math.min(window, ZSTD_BLOCK_MAX))
  if (descriptor & 0x04) reader.take(4) // content checksum
  return { declared, worst }
}

function readBlocks(reader: Reader, blockMax: number): number {
  let worst = 0
  for (let last = false; !last; ) {
    const header = reader.uint(3)
    last = (header & 1) === 1
    const type = (header >> 1) & 3
    const size = header >>> 3
    if (type === 3) throw new ZstdFormatError('a zstd block has the reserved type')
    if (size > blockMax) throw new ZstdFormatError('a zstd block is larger than its frame allows')
    reader.take(type === 1 ? 1 : size)
    worst += type === 2 ? blockMax : size
  }
  return worst
}
