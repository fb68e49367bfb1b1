import { ExitCode, type ExitCodeValue, ProvisionError, type ProvisionErrorCode } from '../../errors.js'

interface Problem {
  code: ProvisionErrorCode
  text: string
  hint: string
  exitCode: ExitCodeValue
}

const ELSEWHERE = 'Choose a writable folder with -w DIR (or -p FILE), or fix its permissions'
const SPACE = 'Free some space on that disk (or choose another folder with -w DIR), then run again'

/** What the file system can refuse that the user can do something about, by errno code. */
const PROBLEMS: Record<string, Problem> = {
  ENOSPC: { code: 'disk-full', text: 'the disk is full', hint: SPACE, exitCode: ExitCode.conflict },
  EDQUOT: { code: 'disk-full', text: 'the disk quota is used up', hint: SPACE, exitCode: ExitCode.conflict },
  EFBIG: {
    code: 'disk-full',
    text: 'the file is too large for the disk',
    hint: SPACE,
    exitCode: ExitCode.conflict,
  },
  EROFS: {
    code: 'read-only-fs',
    text: 'the file system is read-only',
    hint: 'Choose a folder on a writable file system with -w DIR (or -p FILE)',
    exitCode: ExitCode.badInput,
  },
  EACCES: {
    code: 'permission-denied',
    text: 'permission denied',
    hint: ELSEWHERE,
    exitCode: ExitCode.badInput,
  },
  EPERM: {
    code: 'permission-denied',
    text: 'operation not permitted',
    hint: ELSEWHERE,
    exitCode: ExitCode.badInput,
  },
  EISDIR: {
    code: 'is-a-folder',
    text: 'a folder is in the way',
    hint: 'Move that folder away, or choose another path.',
    exitCode: ExitCode.conflict,
  },
  ENOTDIR: {
    code: 'not-a-folder',
    text: 'a part of the path is a file, not a folder',
    hint: 'Move that file away, or choose another path.',
    exitCode: ExitCode.conflict,
  },
  ELOOP: {
    code: 'symlink-refused',
    text: 'it is a symbolic link, which fedforge does not write through',
    hint: 'Remove the symbolic link (or use the real path).',
    exitCode: ExitCode.conflict,
  },
  ENAMETOOLONG: {
    code: 'path-too-long',
    text: 'the path is too long',
    hint: 'Choose a shorter path.',
    exitCode: ExitCode.badInput,
  },
  EIO: {
    code: 'io-error',
    text: 'an I/O error',
    hint: 'Check the disk (see `dmesg`), then run again.',
    exitCode: ExitCode.conflict,
  },
  EMFILE: {
    code: 'too-many-files',
    text: 'too many open files',
    hint: 'Raise the limit (`ulimit -n`), then run again.',
    exitCode: ExitCode.conflict,
  },
}

/** The errno code of a failed system call, or undefined for any other error. */
export function errnoCode(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException | undefined
  return e && typeof e.code === 'string' && typeof e.syscall === 'string' ? e.code : undefined
}

/**
 * A failed file-system call as a ProvisionError naming the path, what went wrong and what to do; errors
 * that are not such a failure (or an errno nobody can act on) are returned as they are.
 * `doing` completes "cannot …": "write", "replace", "create the folder".
 */
export function fsError(error: unknown, path: string, doing: string, note = ''): unknown {
  if (error instanceof ProvisionError) return error
  const code = errnoCode(error)
  const problem = code === undefined ? undefined : PROBLEMS[code]
  if (!problem) return error
  return new ProvisionError(problem.code, `cannot ${doing} ${path}: ${problem.text} (${code})${note}`, {
    cause: error,
    hint: `${problem.hint}. No file was left half-written.`,
    exitCode: problem.exitCode,
  })
}

const DOING: Record<string, string> = {
  mkdir: 'create the folder',
  rename: 'rename',
  unlink: 'remove',
  rm: 'remove',
  rmdir: 'remove',
  link: 'create',
  open: 'open',
  read: 'read',
  fsync: 'write',
  fchmod: 'write',
  chmod: 'change the mode of',
}

/** `fsError` for an error that names its own path and system call (as Node's fs errors do). */
export function fsErrorOf(error: unknown): unknown {
  if (errnoCode(error) === undefined) return error
  const e = error as NodeJS.ErrnoException
  return fsError(error, e.path ?? 'a file', DOING[e.syscall ?? ''] ?? 'write')
}
