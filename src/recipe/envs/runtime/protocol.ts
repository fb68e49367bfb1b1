import { z } from 'zod'

/**
 * The JSON lines driver.py prints on its stdout, one event per line (see the driver's docstring). The
 * schema is the one home of the protocol on our side: a line that does not match is a bug in one of the
 * two, reported with the line.
 */
const jobId = z.string().min(1)
const count = z.number().int().nonnegative().nullable()

export const driverEventSchema = z.discriminatedUnion('event', [
  z.object({
    event: z.literal('check'),
    python: z.string(),
    python_version: z.string(),
    modules: z.record(z.string(), z.string()),
  }),
  z.object({ event: z.literal('session'), admin_kit: z.string(), username: z.string() }),
  z.object({ event: z.literal('clients'), clients: z.array(z.string()) }),
  z.object({ event: z.literal('submitted'), job_id: jobId }),
  z.object({ event: z.literal('status'), job_id: jobId, status: z.string() }),
  z.object({ event: z.literal('round'), job_id: jobId, current_round: count, num_rounds: count }),
  z.object({
    event: z.literal('finished'),
    job_id: jobId,
    status: z.string(),
    detail: z.array(z.string()).default([]),
  }),
  z.object({ event: z.literal('downloaded'), job_id: jobId, path: z.string().nullable() }),
  z.object({ event: z.literal('aborted'), job_id: jobId }),
  z.object({
    event: z.literal('error'),
    kind: z.enum(['import', 'session', 'timeout', 'error']),
    message: z.string(),
    module: z.string().optional(),
    waiting_for: z.enum(['clients', 'job start', 'round']).optional(),
    job_id: z.string().optional(),
    status: z.string().optional(),
    current_round: count.optional(),
    num_rounds: count.optional(),
    clients: z.array(z.string()).optional(),
  }),
])

export type DriverEvent = z.infer<typeof driverEventSchema>
export type DriverEventOf<K extends DriverEvent['event']> = Extract<DriverEvent, { event: K }>
export type DriverErrorEvent = DriverEventOf<'error'>

/** The driver's exit codes (driver.py's EXIT). */
export const DriverExit = { ok: 0, error: 1, usage: 2, import: 3, session: 4, timeout: 5 } as const

/** A line of the driver's stdout that is not one of its events. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError'
}

/** Longest line we accept from the driver (a `clients` event of a very large federation fits). */
export const MAX_LINE_BYTES = 1 << 20

/** One line of the driver's stdout as an event; blank lines are skipped (undefined). */
export function parseDriverLine(line: string): DriverEvent | undefined {
  const text = line.trim()
  if (text === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new ProtocolError(`the runtime driver printed a line that is not JSON: ${clip(text)}`)
  }
  const parsed = driverEventSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
    throw new ProtocolError(
      `the runtime driver printed an unknown event${where} (${issue?.message ?? 'invalid'}): ${clip(text)}`,
    )
  }
  return parsed.data
}

/**
 * Splits a byte stream into lines and hands each complete one to `onLine`; `end()` flushes the last.
 * A line longer than MAX_LINE_BYTES is a protocol error (the driver never writes one).
 */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let pending = ''
  return {
    push(chunk) {
      pending += chunk
      let newline = pending.indexOf('\n')
      while (newline >= 0) {
        onLine(pending.slice(0, newline))
        pending = pending.slice(newline + 1)
        newline = pending.indexOf('\n')
      }
      if (pending.length > MAX_LINE_BYTES) {
        throw new ProtocolError(`the runtime driver printed a line longer than ${MAX_LINE_BYTES} bytes`)
      }
    },
    end() {
      if (pending !== '') onLine(pending)
      pending = ''
    },
  }
}

const clip = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text)
