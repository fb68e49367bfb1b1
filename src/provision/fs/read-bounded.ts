import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs'
import { ExitCode, ProvisionError } from '../../errors.js'

/**
 * The one way fedforge reads a file it was pointed at (project.yml, --add-client, --root, a kit's files,
 * state/): it must be a regular file (never a device, a FIFO or a folder: `/dev/zero` would never end, a
 * FIFO would block), and it is read with a size cap that holds whatever `stat()` said.
 */
export interface ReadOptions {
  /** What the file is, for messages: "project file", "--root file", "state file". */
  what: string
  /** At most this many bytes are read; a larger file is refused. */
  maxBytes: number
  /** Refuse a symbolic link as the file itself (files inside kits and state/). */
  noFollow?: boolean
  /** The `Hint:` line of a refusal. */
  hint?: string
}

export const MiB = 1024 * 1024

/** Caps by kind of file (a cap is a sanity bound far above any real file, not a tight fit). */
export const ReadLimit = {
  /** A PEM certificate or key, a kit's JSON file. */
  kitFile: 16 * MiB,
  /** state/cert.json: about 4 KB per participant, at most 10,000 participants. */
  certState: 256 * MiB,
  /** A TenSEAL context or vector file (N = 32768 with Galois keys is a few hundred MB). */
  heFile: 1024 * MiB,
} as const

/** Read size of `streamFile`: the memory a stream of any length takes. */
const CHUNK_BYTES = MiB

/** A size for messages: `17.0 MiB`, or `64 bytes` below one MiB. */
const sizeText = (bytes: number) => (bytes >= MiB ? `${(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`)
/** A cap for messages: `10 MiB`, `4096 bytes`. */
const capText = (bytes: number) => (bytes % MiB === 0 ? `${bytes / MiB} MiB` : sizeText(bytes))

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a folder'
  if (st.isFIFO()) return 'a named pipe (FIFO)'
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device'
  if (st.isSocket()) return 'a socket'
  return 'not a regular file'
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file (a part of the path is not a folder)',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'it is a symbolic link, which is not followed here',
  ENAMETOOLONG: 'the path is too long',
  EIO: 'an I/O error',
}

function openError(error: unknown, path: string, opts: ReadOptions): ProvisionError {
  const code = (error as NodeJS.ErrnoException).code ?? 'unknown'
  const text = ERRNO_TEXT[code] ?? `it cannot be opened (${code})`
  return new ProvisionError(
    code === 'ELOOP' ? 'symlink-refused' : code === 'ENOENT' ? 'not-found' : 'file-unreadable',
    `cannot read the ${opts.what} ${path}: ${text}`,
    { cause: error, hint: opts.hint ?? 'Check the path.', exitCode: ExitCode.badInput },
  )
}

/** Opens `path` for reading and returns its descriptor, or throws when it is not a regular file. */
function openRegular(path: string, opts: ReadOptions): { fd: number; size: number } {
  // O_NONBLOCK: opening a FIFO must not wait for a writer (fstat then refuses it); no effect on files.
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (opts.noFollow ? constants.O_NOFOLLOW : 0)
  let fd: number
  try {
    fd = openSync(path, flags)
  } catch (error) {
    throw openError(error, path, opts)
  }
  const st = fstatSync(fd)
  if (st.isFile()) return { fd, size: st.size }
  closeSync(fd)
  throw new ProvisionError('not-a-file', `the ${opts.what} ${path} is ${kindOf(st)}, not a regular file`, {
    hint: opts.hint ?? 'Pass the path of a regular file.',
    exitCode: ExitCode.badInput,
  })
}

function tooLarge(path: string, opts: ReadOptions, size: number | undefined): ProvisionError {
  const max = `at most ${capText(opts.maxBytes)} is read`
  return new ProvisionError(
    'file-too-large',
    `the ${opts.what} ${path} is ${size === undefined ? `larger than ${capText(opts.maxBytes)}` : sizeText(size)}; ${max}`,
    { hint: opts.hint ?? 'Check that this is the right file.', exitCode: ExitCode.badInput },
  )
}

/** A failed read syscall as a ProvisionError; anything else (a bug, a callback's error) as it is. */
function readError(error: unknown, path: string, opts: ReadOptions): unknown {
  const errno = error as NodeJS.ErrnoException
  return typeof errno?.syscall === 'string' ? openError(error, path, opts) : error
}

/** The bytes of a regular file of at most `opts.maxBytes` (the cap holds while the file grows). */
export function readFileBounded(path: string, opts: ReadOptions): Buffer {
  const { fd, size } = openRegular(path, opts)
  try {
    if (size > opts.maxBytes) throw tooLarge(path, opts, size)
    let buf = Buffer.allocUnsafe(size + 1) // one byte more: a file that grew since fstat is noticed
    let total = 0
    for (;;) {
      if (total === buf.length) {
        const grown = Buffer.allocUnsafe(Math.min(opts.maxBytes + 1, buf.length * 2))
        buf.copy(grown, 0, 0, total)
        buf = grown
      }
      const n = readSync(fd, buf, total, buf.length - total, null)
      if (n === 0) break
      total += n
      if (total > opts.maxBytes) throw tooLarge(path, opts, undefined)
    }
    return buf.subarray(0, total)
  } catch (error) {
    throw readError(error, path, opts)
  } finally {
    closeSync(fd)
  }
}

/** `readFileBounded` decoded as UTF-8. */
export function readTextBounded(path: string, opts: ReadOptions): string {
  return readFileBounded(path, opts).toString('utf8')
}

/**
 * Reads a regular file of any length in chunks of 1 MiB, handing each to `onChunk` (the buffer is reused:
 * copy what you keep). Memory stays at one chunk however large the file is.
 */
export function streamFile(
  path: string,
  opts: Omit<ReadOptions, 'maxBytes'>,
  onChunk: (chunk: Buffer) => void,
): number {
  const full = { ...opts, maxBytes: Number.POSITIVE_INFINITY }
  const { fd } = openRegular(path, full)
  const buf = Buffer.allocUnsafe(CHUNK_BYTES)
  let total = 0
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null)
      if (n === 0) return total
      total += n
      onChunk(buf.subarray(0, n))
    }
  } catch (error) {
    throw readError(error, path, full)
  } finally {
    closeSync(fd)
  }
}
