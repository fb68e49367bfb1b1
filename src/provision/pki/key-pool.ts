import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { ExitCode, ProvisionError } from '../../errors.js'
import {
  DEFAULT_KEY_METHOD,
  type KeyMethod,
  type KeySource,
  keyMethodName,
  parseKeyMethod,
} from './key-source.js'

export interface KeyPoolOptions {
  /** How the workers make keys. Default: DEFAULT_KEY_METHOD (our prime search). */
  method?: KeyMethod
  /** Workers started at once, to make keys before anyone asks. Default 0: each starts when a key is asked for. */
  size?: number
  /** The most workers the pool runs, one key each at a time. Default: `os.availableParallelism()`. */
  maxSize?: number
}

interface Slot {
  worker: Worker
  busy: number
}

/** What a worker replies (keygen-worker.mjs). */
interface KeyReply {
  pem?: string
  error?: string
}

/**
 * RSA-2048 keys made by worker threads, one key at a time per worker, so that the cores are busy while the
 * main thread writes files. A worker starts when a key is asked for and every running worker is busy, up to
 * `maxSize`: a run that needs 3 keys starts at most 3. Workers are ref'd only while a request is in flight,
 * so an idle pool never keeps the process alive; `close` ends them.
 */
export class KeyPool implements KeySource {
  readonly method: KeyMethod
  readonly name: string
  private readonly maxSize: number
  private readonly slots: Slot[] = []
  private readonly ready: string[] = []
  private readonly waiting: { resolve: (pem: string) => void; reject: (error: Error) => void }[] = []
  private requested = 0
  private nextId = 0
  private failure: Error | undefined
  private closed = false

  constructor(options: KeyPoolOptions = {}) {
    this.method = options.method === undefined ? DEFAULT_KEY_METHOD : parseKeyMethod(options.method, 'method')
    this.name = keyMethodName(this.method)
    const size = Math.max(0, options.size ?? 0)
    this.maxSize = Math.max(1, size, options.maxSize ?? availableParallelism())
    for (let i = 0; i < size; i++) this.slots.push(this.spawn())
  }

  /** Workers running now. */
  get size(): number {
    return this.slots.length
  }

  get isClosed(): boolean {
    return this.closed
  }

  prefetch(count: number): void {
    const missing = count - this.ready.length - this.requested
    for (let i = 0; i < missing; i++) this.request()
  }

  take(): Promise<string> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.closed) return Promise.reject(new Error('the key pool is closed'))
    const pem = this.ready.shift()
    if (pem !== undefined) return Promise.resolve(pem)
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      if (this.requested < this.waiting.length) this.request()
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.fail(new Error('the key pool was closed while keys were awaited'))
    await Promise.all(
      this.slots.map((slot) => {
        slot.worker.ref() // an idle worker is unref'd: without this, nothing would wait for its exit
        return slot.worker.terminate()
      }),
    )
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./keygen-worker.mjs', import.meta.url))
    const slot: Slot = { worker, busy: 0 }
    worker.unref()
    worker.on('message', (msg: KeyReply) => this.onKey(slot, msg))
    worker.on('error', (error) => this.fail(error))
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`a key-generation worker exited with code ${code}`))
    })
    return slot
  }

  /** The least busy worker; a new one when every worker is busy and the pool may grow. */
  private pick(): Slot {
    const idlest = this.slots.reduce<Slot | undefined>((a, b) => (a && a.busy <= b.busy ? a : b), undefined)
    if (idlest && (idlest.busy === 0 || this.slots.length >= this.maxSize)) return idlest
    const slot = this.spawn()
    this.slots.push(slot)
    return slot
  }

  private request(): void {
    if (this.closed || this.failure) return
    const slot = this.pick()
    if (slot.busy++ === 0) slot.worker.ref()
    this.requested++
    slot.worker.postMessage({ id: this.nextId++, method: this.method })
  }

  private onKey(slot: Slot, msg: KeyReply): void {
    if (this.closed) return // a key that arrives while the pool terminates: unwanted, and the worker stays ref'd
    if (--slot.busy === 0) slot.worker.unref()
    this.requested--
    if (msg.pem === undefined) {
      this.fail(new Error(`key generation failed: ${msg.error ?? 'no key'}`))
      return
    }
    const waiter = this.waiting.shift()
    if (waiter) waiter.resolve(msg.pem)
    else this.ready.push(msg.pem)
  }

  private fail(error: Error): void {
    this.failure ??= error
    for (const waiter of this.waiting.splice(0)) waiter.reject(error)
  }
}

/** The key source of one run, and whether the run closes it when done (its own pool) or its caller does. */
export interface RunKeys {
  readonly source: KeySource
  readonly closeWhenDone: boolean
}

function isKeySource(value: unknown): value is KeySource {
  const v = value as Partial<Record<keyof KeySource, unknown>> | null
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.name === 'string' &&
    [v.prefetch, v.take, v.close].every((f) => typeof f === 'function')
  )
}

/**
 * The keys of a run from the request's `keySource`: the caller's own source (the caller closes it), or a pool
 * of the run's own with the method given or the default, which starts workers only when keys are asked for
 * (at most one per key and per core) and which the cert builder closes.
 */
export function runKeys(choice: KeySource | KeyMethod | undefined): RunKeys {
  if (isKeySource(choice)) return { source: choice, closeWhenDone: false }
  if (typeof choice === 'object' && choice !== null) {
    throw new ProvisionError('bad-key-source', 'keySource: the object given is not a KeySource', {
      hint: 'a KeySource has a name (string) and prefetch, take and close methods; or pass "openssl" or "prime-search"',
      exitCode: ExitCode.badInput,
    })
  }
  const method = choice === undefined ? undefined : parseKeyMethod(choice, 'keySource')
  return { source: new KeyPool({ method }), closeWhenDone: true }
}
