import { closeSync, constants, fchmodSync, fstatSync, fsyncSync, openSync, writeSync } from 'node:fs'

/** A file's size and modification time just after it was written. */
export interface WrittenStamp {
  size: number
  mtimeMs: number
}

export interface WriteOptions {
  /** Fail when the file exists (a temp file) instead of truncating it. */
  exclusive?: boolean
  /** fsync the file before it is closed. */
  fsync?: boolean
  /** Return the file's size and mtime (for the signature builder's write cache). */
  stamp?: boolean
}

function shortWrite(): NodeJS.ErrnoException {
  return Object.assign(new Error('write() wrote nothing'), { code: 'EIO', syscall: 'write' })
}

/** Writes every byte of `data` at the descriptor's position: write() may write less than it was given. */
export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
  let offset = 0
  while (offset < bytes.length) {
    const n = writeSync(fd, bytes, offset, bytes.length - offset)
    if (n <= 0) throw shortWrite()
    offset += n
  }
}

/**
 * The one file writer: creates (or truncates) `path` with exactly `mode` whatever the umask, never
 * through a symbolic link (O_NOFOLLOW), writes all of `data` or throws (ENOSPC, EIO: the caller removes
 * or never publishes the file), and fsyncs when asked.
 */
export function writeFileWhole(
  path: string,
  data: string | Uint8Array,
  mode: number,
  opts: WriteOptions = {},
): WrittenStamp | undefined {
  const how = opts.exclusive ? constants.O_EXCL : constants.O_TRUNC
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW | how, mode)
  try {
    writeAll(fd, data)
    fchmodSync(fd, mode)
    if (opts.fsync) fsyncSync(fd)
    if (!opts.stamp) return undefined
    const { size, mtimeMs } = fstatSync(fd)
    return { size, mtimeMs }
  } finally {
    closeSync(fd)
  }
}
