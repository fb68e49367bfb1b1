import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { KeyPool } from '../../../src/provision/pki/key-pool.js'
import { KEY_METHODS, keyMethodName } from '../../../src/provision/pki/key-source.js'
import { assembleRsaKey, modInverse } from '../../../src/provision/pki/rsa-keygen.mjs'
import { checkKeyLikeOpenSsl } from '../../helpers/key-checks.js'

describe.each(KEY_METHODS)('KeyPool, method %s', (method) => {
  it('makes distinct RSA-2048 keys that pass every OpenSSL key check', async () => {
    const pool = new KeyPool({ method, maxSize: 2 })
    try {
      expect(pool.name).toBe(keyMethodName(method))
      pool.prefetch(4)
      const keys = await Promise.all(Array.from({ length: 4 }, () => pool.take()))
      expect(new Set(keys).size).toBe(4)
      for (const pem of keys) checkKeyLikeOpenSsl(pem)
    } finally {
      await pool.close()
    }
  })
})

describe('KeyPool workers', () => {
  it('start when keys are asked for, at most one per key in flight and maxSize in all', async () => {
    const pool = new KeyPool({ method: 'prime-search', maxSize: 3 })
    try {
      expect(pool.size).toBe(0) // a pool nobody asks costs nothing
      pool.prefetch(2)
      expect(pool.size).toBe(2)
      pool.prefetch(10)
      expect(pool.size).toBe(3)
      const keys = await Promise.all(Array.from({ length: 10 }, () => pool.take()))
      expect(new Set(keys).size).toBe(10)
      expect(pool.size).toBe(3)
    } finally {
      await pool.close()
    }
  })

  it('starts `size` workers at once (the CLI early pool), and grows to maxSize from there', async () => {
    const pool = new KeyPool({ method: 'prime-search', size: 1, maxSize: 2 })
    try {
      expect(pool.size).toBe(1)
      pool.prefetch(3)
      expect(pool.size).toBe(2)
      await Promise.all([pool.take(), pool.take(), pool.take()])
    } finally {
      await pool.close()
    }
  })

  it('rejects takes after close, and the takes that were waiting', async () => {
    const pool = new KeyPool({ method: 'prime-search', maxSize: 1 })
    const waiting = expect(pool.take()).rejects.toThrow(/closed while keys were awaited/)
    await pool.close()
    await waiting
    await expect(pool.take()).rejects.toThrow(/closed/)
    expect(pool.isClosed).toBe(true)
  })

  it('refuses an unknown method (a JavaScript caller), and so does the worker', async () => {
    expect(() => new KeyPool({ method: 'rsa' as never })).toThrow(/unknown key source "rsa"/)
    const worker = new Worker(new URL('../../../src/provision/pki/keygen-worker.mjs', import.meta.url))
    try {
      const reply = new Promise((resolve) => worker.once('message', resolve))
      worker.postMessage({ id: 7, method: 'toString' }) // an Object.prototype name is no method either
      expect(await reply).toEqual({ id: 7, error: 'unknown key method "toString"' })
    } finally {
      await worker.terminate()
    }
  })
})

describe('assembleRsaKey', () => {
  it('refuses primes closer than 2^924', () => {
    const p = (1n << 1023n) + 1155n // not prime, but the distance check comes first
    expect(assembleRsaKey(p, p + 2n)).toBeUndefined()
  })

  it('computes exact modular inverses', () => {
    expect(modInverse(3n, 11n)).toBe(4n)
    expect(() => modInverse(2n, 4n)).toThrow()
  })
})
