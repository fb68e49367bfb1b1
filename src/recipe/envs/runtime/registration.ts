import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { ExitCode, ProvisionError } from '../../../errors.js'
import { interrupted } from './interrupted.js'
import { TIMEOUT_FLAGS } from './timeouts.js'

/** The server log's line for a client that registered (NVFlare 2.7 - main: `New client site-1@<addr> joined`). */
const JOINED = /New client (\S+?)@\S* joined/

export const joinedClient = (line: string): string | undefined => JOINED.exec(line)?.[1]

/** Size of a file, 0 when it does not exist yet. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

const CHUNK = 1 << 20

/**
 * Reads the lines a log gains after `offset` (the log's size before the kit started: a reused kit keeps
 * the log of earlier runs), at most 1 MB per call. A log that shrank was rotated: it is read from 0.
 */
export class LogFollower {
  private partial = ''

  constructor(
    readonly file: string,
    private offset: number,
  ) {}

  newLines(): string[] {
    const size = fileSize(this.file)
    if (size < this.offset) this.offset = 0
    if (size === this.offset) return []
    const buffer = Buffer.alloc(Math.min(CHUNK, size - this.offset))
    const fd = openSync(this.file, 'r')
    let read = 0
    try {
      read = readSync(fd, buffer, 0, buffer.length, this.offset)
    } finally {
      closeSync(fd)
    }
    this.offset += read
    const lines = (this.partial + buffer.subarray(0, read).toString('utf8')).split('\n')
    this.partial = lines.pop() ?? ''
    return lines
  }
}

export interface RegistrationWait {
  follower: LogFollower
  expected: string[]
  timeoutSeconds: number
  /** The logs to read when it fails. */
  logHint: string
  signal?: AbortSignal
  onChange?: (registered: string[]) => void
  /** A kit whose processes have all ended (then waiting is pointless), or undefined. */
  deadKit?: () => string | undefined
  pollMs?: number
}

/** Waits until every expected client has registered in the server log; bounded by `timeoutSeconds`. */
export async function waitForRegistration(w: RegistrationWait): Promise<string[]> {
  const deadline = Date.now() + w.timeoutSeconds * 1000
  const registered = new Set<string>()
  for (;;) {
    const before = registered.size
    for (const line of w.follower.newLines()) {
      const name = joinedClient(line)
      if (name !== undefined) registered.add(name)
    }
    const list = [...registered].sort()
    if (registered.size !== before) w.onChange?.(list)
    const missing = w.expected.filter((c) => !registered.has(c))
    if (missing.length === 0) return list
    if (w.signal?.aborted) throw interrupted('the federation was stopped')
    const dead = w.deadKit?.()
    if (dead !== undefined) {
      throw new ProvisionError('kit-exited', `${dead} ended before every client registered`, {
        hint: w.logHint,
        exitCode: ExitCode.failed,
      })
    }
    if (Date.now() > deadline) {
      const seen = list.length > 0 ? list.join(', ') : 'none'
      throw new ProvisionError(
        'registration-timeout',
        `waited ${w.timeoutSeconds} s for the clients to register with the server: ${missing.join(', ')} did not (registered: ${seen})`,
        {
          hint: `${w.logHint}; allow more time with ${TIMEOUT_FLAGS.registration}`,
          exitCode: ExitCode.failed,
        },
      )
    }
    await new Promise((r) => setTimeout(r, w.pollMs ?? 500))
  }
}
