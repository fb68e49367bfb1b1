import { execFileSync } from 'node:child_process'
import { copyFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { readTenseal } from '../../src/he-builder/read-tenseal.js'
import { referenceDir, TempDirs } from './helpers.js'

const temp = new TempDirs()
afterEach(() => temp.cleanup())

describe('readTenseal', () => {
  it('describes a context and a CKKS vector file', async () => {
    expect(await readTenseal(join(referenceDir, 'client_context.tenseal'))).toMatchObject({
      kind: 'context',
      scheme: 'CKKS',
      polyModulusDegree: 8192,
      keys: { secretKey: true },
    })
    expect(await readTenseal(join(referenceDir, 'ckks_vector_multi.tenseal'))).toMatchObject({
      kind: 'ckks-vector',
      values: 10000,
    })
  })

  it('refuses a file above maxBytes before reading it, and reads it when allowed', async () => {
    const file = join(temp.make(), 'server_context.tenseal')
    copyFileSync(join(referenceDir, 'server_context.tenseal'), file)
    await expect(readTenseal(file, { maxBytes: 1000 })).rejects.toMatchObject({
      code: 'file-too-large',
      exitCode: 2,
      message: expect.stringContaining('at most 1000 bytes'),
    })
    expect(await readTenseal(file, { maxBytes: 1_000_000 })).toMatchObject({ keys: { secretKey: false } })
  })

  it('refuses what is not a regular file (a folder, a FIFO: without waiting for a writer) and a missing one', async () => {
    const dir = temp.make()
    await expect(readTenseal(dir)).rejects.toMatchObject({ code: 'not-a-file', exitCode: 2 })
    const fifo = join(dir, 'pipe.tenseal')
    execFileSync('mkfifo', [fifo])
    await expect(readTenseal(fifo)).rejects.toMatchObject({ code: 'not-a-file' })
    await expect(readTenseal(join(dir, 'nope.tenseal'))).rejects.toMatchObject({ code: 'not-found' })
    writeFileSync(join(dir, 'junk.tenseal'), 'junk')
    await expect(readTenseal(join(dir, 'junk.tenseal'))).rejects.toMatchObject({ code: 'tenseal-format' })
  })
})
