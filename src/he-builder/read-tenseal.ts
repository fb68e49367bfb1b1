import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import { ExitCode, ProvisionError } from '../errors.js'
import { inspectTenseal, type TensealInfo } from './inspect.js'

/** The largest `.tenseal` file `readTenseal` reads by default (1 GiB); pass `maxBytes` for more. */
export const MAX_TENSEAL_BYTES = 1024 * 1024 * 1024

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
  return inspectTenseal(readRegularFile(path, options.maxBytes ?? MAX_TENSEAL_BYTES))
}

/** The whole file as a plain Uint8Array, read through one descriptor: never more than `maxBytes`. */
function readRegularFile(path: string, maxBytes: number): Uint8Array {
  let fd: number
  try {
    // O_NONBLOCK: a FIFO opens at once (and is refused below) instead of waiting for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (cause) {
    throw new ProvisionError('file-not-found', `cannot read the HE file ${path}`, {
      cause,
      exitCode: ExitCode.badInput,
      hint: 'pass a .tenseal file, e.g. prod_00/site-1/startup/client_context.tenseal',
    })
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile()) throw notRegular(path)
    if (stat.size > maxBytes) throw tooLarge(path, `is ${stat.size} bytes`, maxBytes)
    const bytes = new Uint8Array(stat.size)
    let filled = 0
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled)
      if (n === 0) break
      filled += n
    }
    // A file that grew while it was read is refused rather than read past its size.
    if (readSync(fd, new Uint8Array(1), 0, 1, filled) !== 0) throw tooLarge(path, 'grew while read', maxBytes)
    return bytes.subarray(0, filled)
  } finally {
    closeSync(fd)
  }
}

function notRegular(path: string): ProvisionError {
  return new ProvisionError('not-a-file', `${path} is not a regular file`, {
    exitCode: ExitCode.badInput,
    hint: 'pass a .tenseal file, e.g. prod_00/site-1/startup/client_context.tenseal',
  })
}

function tooLarge(path: string, what: string, maxBytes: number): ProvisionError {
  return new ProvisionError(
    'file-too-large',
    `the HE file ${path} ${what}; at most ${maxBytes.toLocaleString('en')} bytes are read`,
    {
      exitCode: ExitCode.badInput,
      hint: 'a context is well under 100 MB; for a larger CKKS vector pass readTenseal(path, { maxBytes })',
    },
  )
}
