import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { registerInspect } from '../../src/cli/commands/inspect.js'
import { takeResult } from '../../src/cli/run.js'
import { ProvisionError } from '../../src/errors.js'
import { inspectTenseal } from '../../src/he-builder/inspect.js'
import { makeHeKeyFiles } from '../../src/he-builder/key-material.js'
import { DEFAULT_HE_PARAMS } from '../../src/he-builder/params.js'
import { readReference, referenceDir, TempDirs } from './helpers.js'

const temp = new TempDirs()
afterEach(() => {
  temp.cleanup()
  vi.restoreAllMocks()
})

describe('inspectTenseal', () => {
  it('describes TenSEAL’s own server and client files', async () => {
    const server = await inspectTenseal(readReference('server_context.tenseal'))
    const client = await inspectTenseal(readReference('client_context.tenseal'))
    for (const info of [server, client]) {
      expect(info).toMatchObject({
        kind: 'context',
        scheme: 'CKKS',
        polyModulusDegree: 8192,
        coeffModBitSizes: [60, 40, 40],
        scale: 2 ** 40,
        encryptionType: 'symmetric',
        autoFlags: { value: 7 },
        securityProblem: undefined,
      })
    }
    expect(server).toMatchObject({
      keys: { secretKey: false, publicKey: false, relinKeys: true, galoisKeys: false },
    })
    expect(client).toMatchObject({ keys: { secretKey: true, relinKeys: false, relinKeysGenerated: true } })
    if (client.kind !== 'context') throw new Error('not a context')
    expect(client.blobs.secretKey).toMatchObject({ version: '4.1', compression: 'zstd' })
  })

  it('describes our own files the same way', async () => {
    const files = await makeHeKeyFiles(DEFAULT_HE_PARAMS)
    expect(await inspectTenseal(files.server)).toMatchObject({ keys: { secretKey: false, relinKeys: true } })
    expect(await inspectTenseal(files.client)).toMatchObject({ keys: { secretKey: true, relinKeys: false } })
  })

  it('describes CKKS vectors and refuses other files', async () => {
    expect(await inspectTenseal(readReference('ckks_vector_multi.tenseal'))).toMatchObject({
      kind: 'ckks-vector',
      values: 10000,
      sizes: [4096, 4096, 1808],
      scale: 2 ** 40,
    })
    await expect(inspectTenseal(new TextEncoder().encode('api_version: 3\n'))).rejects.toBeInstanceOf(
      ProvisionError,
    )
    await expect(inspectTenseal(new Uint8Array([0xff, 0xff, 0xff]))).rejects.toThrow(/not a TenSEAL/)
  })
})

describe('provision inspect', () => {
  async function run(args: string[]): Promise<{ code: number; text: string }> {
    const lines: string[] = []
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk))
      return true
    })
    const program = new Command('provision').exitOverride()
    registerInspect(program)
    await program.parseAsync(['inspect', ...args], { from: 'user' })
    return { code: Number(takeResult()), text: lines.join('') }
  }

  it('prints "secret key: absent" for a server file', async () => {
    const { code, text } = await run([join(referenceDir, 'server_context.tenseal')])
    expect(code).toBe(0)
    expect(text).toMatch(/secret key:\s+absent/)
    expect(text).toMatch(/coeff moduli \(bits\): \[60, 40, 40\]/)
    expect(text).toMatch(/scale:\s+2\^40/)
    expect(text).toMatch(/encryption type:\s+symmetric/)
  })

  it('prints JSON with --json', async () => {
    const { text } = await run([join(referenceDir, 'client_context.tenseal'), '--json'])
    expect(JSON.parse(text)).toMatchObject({ kind: 'context', keys: { secretKey: true } })
  })

  it('reports a missing file as bad input', async () => {
    const missing = join(temp.make(), 'nope.tenseal')
    await expect(run([missing])).rejects.toMatchObject({ code: 'not-found', exitCode: 2 })
    const junk = join(temp.make(), 'junk.tenseal')
    writeFileSync(junk, 'junk')
    await expect(run([junk])).rejects.toMatchObject({ code: 'tenseal-format' })
  })
})
