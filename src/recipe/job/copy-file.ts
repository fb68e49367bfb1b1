import { closeSync, constants, fstatSync, openSync, readSync, writeSync } from 'node:fs'
import { ProvisionError } from '../../errors.js'

const CHUNK = 1024 * 1024

/**
 * Copies the regular file `source` to the new file `target` (which must not exist), reading at most
 * `maxBytes`. The source is opened without following a symbolic link and checked on the open descriptor,
 * so a file swapped for a link or a device after the options were checked is refused, not copied.
 * Returns the bytes copied.
 */
export function copyRegularFile(source: string, target: string, maxBytes: number): number {
  const refuse = (why: string) =>
    new ProvisionError('job-custom-file', `${source} ${why}; not bundled`, {
      hint: 'bundle only regular files (no symbolic links, devices or pipes)',
    })
  let fd: number
  try {
    fd = openSync(source, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw code === 'ELOOP' ? refuse('is a symbolic link') : refuse(`cannot be read (${code})`)
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw refuse('is not a regular file')
    if (st.size > maxBytes) throw refuse(`is larger than ${maxBytes} bytes`)
    return copyFd(fd, target, maxBytes, refuse)
  } finally {
    closeSync(fd)
  }
}

function copyFd(fd: number, target: string, maxBytes: number, refuse: (why: string) => Error): number {
  const out = openSync(target, 'wx', 0o644)
  try {
    const buffer = Buffer.alloc(CHUNK)
    let total = 0
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK, null)
      if (n === 0) return total
      total += n
      if (total > maxBytes) throw refuse(`grew past ${maxBytes} bytes while being copied`)
      let done = 0
      while (done < n) done += writeSync(out, buffer, done, n - done)
    }
  } finally {
    closeSync(out)
  }
}
