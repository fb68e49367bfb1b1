import { ReadLimit, readFileBounded } from '../provision/fs/read-bounded.js'
import { inspectTenseal, type TensealInfo } from './inspect.js'

/** The largest `.tenseal` file `readTenseal` reads by default (1 GiB, `ReadLimit.heFile`). */
export const MAX_TENSEAL_BYTES: number = ReadLimit.heFile

/** Options of {@link readTenseal}. */
export interface ReadTensealOptions {
  /** Refuse files larger than this many bytes. Default: {@link MAX_TENSEAL_BYTES}. */
  maxBytes?: number
}

/**
 * Reads a `.tenseal` file (an HE context or a CKKS vector, TenSEAL's or ours) and describes what it
 * holds: scheme, parameters, scale, which keys; or a vector's chunks. The file must be a regular file
 * of at most `maxBytes`; its SEAL blobs are bounded before SEAL reads them. Throws ProvisionError.
 */
export async function readTenseal(path: string, options: ReadTensealOptions = {}): Promise<TensealInfo> {
  const bytes = readFileBounded(path, {
    what: 'HE file',
    maxBytes: options.maxBytes ?? MAX_TENSEAL_BYTES,
    hint: 'Pass a .tenseal file, e.g. prod_00/site-1/startup/client_context.tenseal (larger: { maxBytes }).',
  })
  return inspectTenseal(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
}
