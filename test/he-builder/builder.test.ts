import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ProvisionError } from '../../src/errors.js'
import { createHeBuilder } from '../../src/he-builder/builder.js'
import { CkksVector } from '../../src/he-builder/ckks-vector.js'
import { HeContext } from '../../src/he-builder/he-context.js'
import { decodeTensealContext } from '../../src/he-builder/tenseal-codec.js'
import type { ProvisionContext, ProvisionOptions } from '../../src/provision/context.js'
import { writeFileAtomic } from '../../src/provision/fs/atomic.js'
import { Layout } from '../../src/provision/layout.js'
import {
  heContext,
  heProject,
  maxAbsError,
  readReference,
  TempDirs,
  type TestRun,
  topLevelFields,
} from './helpers.js'

const temp = new TempDirs()
afterEach(() => temp.cleanup())

/** One provisioning run of the HE builder alone, with the provisioner's state write at the end. */
async function runHe(
  root: string,
  clients: string[],
  args: Record<string, unknown> = {},
  options: Partial<ProvisionOptions> = {},
): Promise<TestRun> {
  const run = heContext(root, heProject(clients), options)
  rmSync(run.ctx.wipDir, { recursive: true, force: true })
  const builder = createHeBuilder(args)
  await builder.initialize?.(run.ctx)
  await builder.build(run.ctx)
  mkdirSync(run.ctx.stateDir, { recursive: true, mode: 0o700 })
  for (const [name, data] of run.ctx.stagedState) writeFileAtomic(join(run.ctx.stateDir, name), data, 0o600)
  return run
}

function kitFile(ctx: ProvisionContext, name: string, file: string): string {
  return join(ctx.kitDir(name), Layout.startup, file)
}

async function loadKit(ctx: ProvisionContext, name: string, file: string): Promise<HeContext> {
  return HeContext.fromBytes(new Uint8Array(readFileSync(kitFile(ctx, name, file))))
}

describe('he builder', () => {
  it('writes the server and client files as NVFlare’s HEBuilder does', async () => {
    const { ctx, events } = await runHe(temp.make(), ['site-1', 'site-2'])
    const server = new Uint8Array(readFileSync(kitFile(ctx, 'server1', Layout.serverContext)))
    const client = new Uint8Array(readFileSync(kitFile(ctx, 'site-1', Layout.clientContext)))
    expect(readFileSync(kitFile(ctx, 'site-2', Layout.clientContext)).equals(client)).toBe(true)
    expect(existsSync(join(ctx.kitDir('admin@nvidia.com'), Layout.startup))).toBe(false)

    expect(topLevelFields(server)).toEqual([1, 2, 4])
    const s = decodeTensealContext(server)
    expect(s.private).toBeUndefined()
    expect(s.public).toMatchObject({
      autoFlags: 7,
      scale: 2 ** 40,
      publicKey: undefined,
      galoisKeys: undefined,
    })
    expect(s.public.relinKeys).toBeDefined()
    expect(s.encryptionType).toBe('symmetric')

    expect(topLevelFields(client)).toEqual([1, 2, 3, 4])
    const c = decodeTensealContext(client)
    expect(c.public).toMatchObject({
      autoFlags: 7,
      scale: 2 ** 40,
      publicKey: undefined,
      relinKeys: undefined,
    })
    expect(c.private).toMatchObject({ relinKeysGenerated: true, galoisKeysGenerated: false })
    expect(c.private?.secretKey).toBeDefined()
    expect(Buffer.from(c.encryptionParameters).equals(Buffer.from(s.encryptionParameters))).toBe(true)
    expect(statSync(kitFile(ctx, 'site-1', Layout.clientContext)).mode & 0o777).toBe(0o600)

    expect(events.filter((e) => e.type === 'he-context')).toHaveLength(3)
    expect(ctx.he).toEqual({
      scheme: 'CKKS',
      polyModulusDegree: 8192,
      coeffModBitSizes: [60, 40, 40],
      scaleBits: 40,
      reusedKey: false,
    })
    expect(
      Buffer.from(ctx.stagedState.get(Layout.heStateFile) as Uint8Array).equals(Buffer.from(client)),
    ).toBe(true)
  })

  it('writes files within 5% of TenSEAL’s sizes', async () => {
    const { ctx } = await runHe(temp.make(), ['site-1'])
    const pairs = [
      [kitFile(ctx, 'server1', Layout.serverContext), 'server_context.tenseal'],
      [kitFile(ctx, 'site-1', Layout.clientContext), 'client_context.tenseal'],
    ] as const
    for (const [ours, theirs] of pairs) {
      const ratio = statSync(ours).size / readReference(theirs).length
      expect(Math.abs(ratio - 1)).toBeLessThan(0.05)
    }
  })

  it('lets the server aggregate a weighted mean it cannot read; a fourth client decrypts it', async () => {
    const { ctx } = await runHe(temp.make(), ['site-1', 'site-2', 'site-3', 'site-4'])
    const weights = [1, 2.5, 4]
    const updates = weights.map((_, k) =>
      Array.from({ length: 5000 }, (__, i) => Math.sin(i * (k + 1) * 0.01)),
    )
    const server = await loadKit(ctx, 'server1', Layout.serverContext)
    const reader = await loadKit(ctx, 'site-4', Layout.clientContext)
    const wire: Uint8Array[] = []
    for (const [k, w] of weights.entries()) {
      const client = await loadKit(ctx, `site-${k + 1}`, Layout.clientContext)
      const weighted = (updates[k] as number[]).map((x) => x * w)
      wire.push(CkksVector.encrypt(client, weighted).toBytes())
      client.delete()
    }
    const sum = CkksVector.fromBytes(server, wire[0] as Uint8Array)
    for (const bytes of wire.slice(1)) {
      const next = CkksVector.fromBytes(server, bytes)
      sum.add(next)
      next.delete()
    }
    const total = weights.reduce((a, b) => a + b, 0)
    const result = CkksVector.fromBytes(reader, sum.mulScalar(1 / total).toBytes())
    const mean = (updates[0] as number[]).map(
      (_, i) => weights.reduce((acc, w, k) => acc + w * (updates[k]?.[i] ?? 0), 0) / total,
    )
    expect(maxAbsError(result.decrypt(), mean)).toBeLessThan(1e-5)
    expect(() => sum.decrypt()).toThrow(/no secret key/)
    for (const o of [sum, result, server, reader]) o.delete()
  })

  it('reuses the HE key from state/ so that a client added later decrypts', async () => {
    const root = temp.make()
    const first = await runHe(root, ['site-1', 'site-2'])
    const old = await loadKit(first.ctx, 'site-1', Layout.clientContext)
    const wire = CkksVector.encrypt(old, [0.25, -3, 7.5]).toBytes()
    old.delete()
    const stateBefore = readFileSync(join(first.ctx.stateDir, Layout.heStateFile))
    expect(statSync(join(first.ctx.stateDir, Layout.heStateFile)).mode & 0o777).toBe(0o600)

    const second = await runHe(root, ['site-1', 'site-2', 'site-3'])
    expect(second.ctx.he?.reusedKey).toBe(true)
    const added = await loadKit(second.ctx, 'site-3', Layout.clientContext)
    const vector = CkksVector.fromBytes(added, wire)
    expect(maxAbsError(vector.decrypt(), [0.25, -3, 7.5])).toBeLessThan(1e-6)
    vector.delete()
    added.delete()
    expect(readFileSync(join(second.ctx.stateDir, Layout.heStateFile)).equals(stateBefore)).toBe(true)
  })

  it('refuses new HE parameters for a workspace with a key, unless asked to rotate it', async () => {
    const root = temp.make()
    const first = await runHe(root, ['site-1'])
    const oldKey = decodeTensealContext(
      new Uint8Array(readFileSync(kitFile(first.ctx, 'site-1', Layout.clientContext))),
    ).private?.secretKey as Uint8Array
    const wide = { coeff_mod_bit_sizes: [60, 40, 40, 60] }
    const error = await runHe(root, ['site-1'], wide).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ProvisionError)
    expect(error).toMatchObject({ code: 'he-params-changed', exitCode: 3 })
    expect((error as ProvisionError).message).toContain(
      '[60, 40, 40] scale 2^40 to CKKS N=8192 [60, 40, 40, 60]',
    )
    expect((error as ProvisionError).hint).toContain('--rotate-he-key')

    const rotated = await runHe(root, ['site-1'], wide, { rotateHeKey: true })
    expect(rotated.ctx.he).toMatchObject({ reusedKey: false, coeffModBitSizes: [60, 40, 40, 60] })
    expect(rotated.events.some((e) => e.type === 'warning' && e.message.includes('new HE key'))).toBe(true)
    const state = decodeTensealContext(
      new Uint8Array(readFileSync(join(rotated.ctx.stateDir, Layout.heStateFile))),
    )
    expect(Buffer.from(state.private?.secretKey ?? []).equals(Buffer.from(oldKey))).toBe(false)
    const fresh = await loadKit(rotated.ctx, 'site-1', Layout.clientContext)
    expect(fresh.params.coeffModBitSizes).toEqual([60, 40, 40, 60])
    fresh.delete()
  })

  it('refuses an unreadable HE key in state/', async () => {
    const root = temp.make()
    const stateDir = join(root, 'he_project', 'state')
    mkdirSync(stateDir, { recursive: true })
    writeFileSync(join(stateDir, Layout.heStateFile), 'not a context')
    await expect(runHe(root, ['site-1'])).rejects.toMatchObject({ code: 'he-state', exitCode: 3 })
  })

  it('refuses bad arguments when the builder is made', () => {
    expect(() => createHeBuilder({ poly_modulus_degree: 4096 })).toThrow(/128-bit security/)
    expect(() => createHeBuilder({ scheme: 'BFV' })).toThrow(ProvisionError)
    expect(createHeBuilder({}).name).toBe('he')
  })
})
