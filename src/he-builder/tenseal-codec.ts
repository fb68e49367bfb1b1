import { fileURLToPath } from 'node:url'
import protobuf from 'protobufjs'

/** `TenSEALPublicProto`: what every context file holds. */
export interface TensealPublic {
  publicKey: Uint8Array | undefined
  /** bit 0 auto relinearize, bit 1 auto rescale, bit 2 auto mod switch. */
  autoFlags: number
  /** The default CKKS scale; -1 (or 0 when omitted) means none. */
  scale: number
  relinKeys: Uint8Array | undefined
  galoisKeys: Uint8Array | undefined
}

/** `TenSEALPrivateProto`: present only when the secret key is saved. */
export interface TensealPrivate {
  secretKey: Uint8Array | undefined
  relinKeysGenerated: boolean
  galoisKeysGenerated: boolean
}

/** A `.tenseal` context file (`TenSEALContextProto`). SEAL objects stay serialized blobs here. */
export interface TensealContextFile {
  encryptionParameters: Uint8Array
  public: TensealPublic
  private: TensealPrivate | undefined
  encryptionType: 'asymmetric' | 'symmetric'
}

/** A `.tenseal` CKKS vector (`CKKSVectorProto`): one SEAL ciphertext per chunk of N/2 values. */
export interface CkksVectorFile {
  sizes: number[]
  ciphertexts: Uint8Array[]
  scale: number
}

interface Types {
  context: protobuf.Type
  vector: protobuf.Type
}

let types: Types | undefined

/** The message types, parsed once from `tenseal.proto` next to this module (copied to dist/ by the build). */
function messageTypes(): Types {
  if (!types) {
    const root = protobuf.loadSync(fileURLToPath(new URL('./tenseal.proto', import.meta.url)))
    types = {
      context: root.lookupType('tenseal.TenSEALContextProto'),
      vector: root.lookupType('tenseal.CKKSVectorProto'),
    }
  }
  return types
}

type Plain = Record<string, unknown>

/** A plain Uint8Array (node-seal refuses Buffer), sharing memory with `bytes`. */
function plainBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

function optBytes(value: unknown): Uint8Array | undefined {
  return value instanceof Uint8Array && value.length > 0 ? plainBytes(value) : undefined
}

/** Keeps only non-default values: proto3 does not write defaults, and neither does TenSEAL. */
function compact(fields: Plain): Plain {
  const out: Plain = {}
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === 0 || value === false) continue
    if (value instanceof Uint8Array && value.length === 0) continue
    out[key] = value
  }
  return out
}

export function decodeTensealContext(bytes: Uint8Array): TensealContextFile {
  // protobufjs builds the message types from the .proto text at run time (no generated classes), so
  // decode() is typed Message<{}>: its fields are read as Plain, and each is checked as it is read.
  const msg = messageTypes().context.decode(bytes) as Plain
  const pub = (msg.publicContext ?? {}) as Plain
  const priv = msg.privateContext as Plain | null | undefined
  return {
    encryptionParameters: plainBytes(msg.encryptionParameters as Uint8Array),
    public: {
      publicKey: optBytes(pub.publicKey),
      autoFlags: Number(pub.autoFlags ?? 0),
      scale: Number(pub.scale ?? 0),
      relinKeys: optBytes(pub.relinKeys),
      galoisKeys: optBytes(pub.galoisKeys),
    },
    private: priv
      ? {
          secretKey: optBytes(priv.secretKey),
          relinKeysGenerated: Boolean(priv.relinKeysGenerated),
          galoisKeysGenerated: Boolean(priv.galoisKeysGenerated),
        }
      : undefined,
    encryptionType: Number(msg.encryptionType ?? 0) === 1 ? 'symmetric' : 'asymmetric',
  }
}

/** Encodes a context file the way TenSEAL does: fields in number order, proto3 defaults left out. */
export function encodeTensealContext(file: TensealContextFile): Uint8Array {
  const message = compact({
    encryptionParameters: file.encryptionParameters,
    encryptionType: file.encryptionType === 'symmetric' ? 1 : 0,
  })
  message.publicContext = compact({ ...file.public })
  if (file.private) message.privateContext = compact({ ...file.private })
  return plainBytes(messageTypes().context.encode(message).finish())
}

export function decodeCkksVector(bytes: Uint8Array): CkksVectorFile {
  // typed Message<{}> (run-time reflection, as in decodeTensealContext): read as Plain, checked per field
  const msg = messageTypes().vector.decode(bytes) as Plain
  return {
    sizes: ((msg.sizes ?? []) as number[]).map(Number),
    ciphertexts: ((msg.ciphertexts ?? []) as Uint8Array[]).map(plainBytes),
    scale: Number(msg.scale ?? 0),
  }
}

export function encodeCkksVector(file: CkksVectorFile): Uint8Array {
  const message = compact({ scale: file.scale })
  if (file.sizes.length > 0) message.sizes = file.sizes
  if (file.ciphertexts.length > 0) message.ciphertexts = file.ciphertexts
  return plainBytes(messageTypes().vector.encode(message).finish())
}

/** The 16-byte header of a serialized SEAL object. */
export interface SealBlobHeader {
  version: string
  compression: 'none' | 'zlib' | 'zstd' | 'unknown'
  /** Total size including the header. */
  size: number
}

const COMPRESSION = ['none', 'zlib', 'zstd'] as const

/** Reads a SEAL blob header, or undefined when `bytes` does not start with SEAL's magic 0xA15E. */
export function readSealHeader(bytes: Uint8Array): SealBlobHeader | undefined {
  if (bytes.length < 16) return undefined
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (view.getUint16(0, true) !== 0xa15e || view.getUint8(2) !== 0x10) return undefined
  return {
    version: `${view.getUint8(3)}.${view.getUint8(4)}`,
    compression: COMPRESSION[view.getUint8(5)] ?? 'unknown',
    size: Number(view.getBigUint64(8, true)),
  }
}
