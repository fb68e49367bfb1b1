import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

/** Where the cert builder gets private keys from (a pool in production, fixtures in tests). */
export interface KeySource {
  /**
   * Asks for keys to be made in the background until `count` are ready or being made (a hint; `take`
   * works without it).
   */
  prefetch(count: number): void
  /** The next key, PEM PKCS#1 ("BEGIN RSA PRIVATE KEY"), RSA-2048, e = 65537. */
  take(): Promise<string>
  close(): Promise<void>
}

export interface KeyPoolOptions {
  /** Number of worker threads. Default: `os.availableParallelism()`. */
  size?: number
}

interface Slot {
  worker: Worker
  busy: number
}

/**
 * RSA-2048 keys made by worker threads, one key at a time per worker, so every core is busy while the main
 * thread writes files. Each key is assembled from two random probable primes (prime-search.mjs; about 5x
 * faster than `generateKeyPair('rsa', 2048)` in Node 20); see rsa-keygen.mjs for why that is sound.
 * Workers are ref'd only while a request is in flight, so an idle pool never keeps the process alive.
 */
export class KeyPool implements KeySource {
  private readonly slots: Slot[] = []
  private readonly ready: string[] = []
  private readonly waiting: { resolve: (pem: string) => void; reject: (error: Error) => void }[] = []
  private requested = 0
  private nextId = 0
  private failure: Error | undefined
  private closed = false

  constructor(options: KeyPoolOptions = {}) {
    const size = Math.max(1, options.size ?? availableParallelism())
    for (let i = 0; i < size; i++) this.slots.push(this.spawn())
  }

  get size(): number {
    return this.slots.length
  }

  /** Adds workers until there are `size` (never removes any). */
  grow(size: number): void {
    while (!this.closed && this.slots.length < size) this.slots.push(this.spawn())
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
    worker.on('message', (msg: { pem?: string; error?: string }) => this.onKey(slot, msg))
    worker.on('error', (error) => this.fail(error))
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new Error(`a key-generation worker exited with code ${code}`))
    })
    return slot
  }

  private request(): void {
    if (this.closed || this.failure) return
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a))
    if (slot.busy++ === 0) slot.worker.ref()
    this.requested++
    slot.worker.postMessage(this.nextId++)
  }

  private onKey(slot: Slot, msg: { pem?: string; error?: string }): void {
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

let early: KeyPool | undefined

/**
 * For the CLI, before the rest of it loads: starts the workers and has them make two keys each while
 * the program loads and reads the project (about a third of a second in which one core would idle). The
 * cert builder adopts this pool (`adoptEarlyKeyPool`); a run that needs no new key discards it, and its
 * keys never leave memory.
 */
export function startEarlyKeyPool(): void {
  if (early) return
  // at most 4 workers before the project is known (a small project on a big machine needs few); the cert
  // builder grows the pool to the cores it can use
  early = new KeyPool({ size: Math.min(4, availableParallelism()) })
  early.prefetch(2 * early.size)
}

/** The pool `startEarlyKeyPool` started, handed over once (then undefined). */
export function adoptEarlyKeyPool(): KeyPool | undefined {
  const pool = early
  early = undefined
  return pool
}

/** Stops an early pool nobody adopted. */
export async function discardEarlyKeyPool(): Promise<void> {
  await adoptEarlyKeyPool()?.close()
}
