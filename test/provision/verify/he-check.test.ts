import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { makeHeKeyFiles } from '../../../src/he-builder/key-material.js'
import { DEFAULT_HE_PARAMS } from '../../../src/he-builder/params.js'
import { Layout } from '../../../src/provision/layout.js'
import type { KitReport } from '../../../src/provision/verify/types.js'
import { verifyKit } from '../../../src/provision/verify/verify-kit.js'
import { buildSignedKits, makeTempDir, testHeKeyFiles } from '../../helpers/pki-fixtures.js'

const NOW = new Date('2026-03-01T12:00:00Z')
const heChecks = (r: KitReport) => r.checks.filter((c) => c.name === 'he')
const params = { ...DEFAULT_HE_PARAMS }

describe('verifyKit: the HE context and the signed-folder reports', () => {
  let tmp: ReturnType<typeof makeTempDir>
  beforeEach(() => {
    tmp = makeTempDir()
  })
  afterEach(() => tmp.cleanup())

  /** Kits whose startup/ files were changed before signing (so only the HE check can object). */
  const kitsWith = (change: (wip: string) => void) => buildSignedKits(tmp.dir, NOW, 'example_project', change)

  it('reads the server and client contexts (parameters, secret key only on clients) and reports each signed folder', async () => {
    const kits = await kitsWith(() => {})
    const server = await verifyKit(kits.kit('server1'), { now: NOW })
    expect(server.he).toEqual({ file: `startup/${Layout.serverContext}`, params, secretKey: false })
    expect(heChecks(server)).toEqual([
      {
        name: 'he',
        status: 'ok',
        message: `startup/${Layout.serverContext}: CKKS N=8192 [60, 40, 40] scale 2^40, no secret key, loads in SEAL`,
      },
    ])
    const client = await verifyKit(kits.kit('site-1'), { now: NOW })
    expect(client.he).toEqual({ file: `startup/${Layout.clientContext}`, params, secretKey: true })
    expect(client.signatures.map((f) => [f.folder, f.status, f.signed, f.problems])).toEqual([
      ['startup', 'ok', true, []],
      ['local', 'ok', true, []],
    ])
    // Every entry of startup/ verified: the two certificates, key, root, configs, scripts, context.
    const startup = client.signatures[0]
    expect(startup?.verified).toBe(
      Object.keys(JSON.parse(readFileSync(join(kits.kit('site-1'), 'startup', Layout.signature), 'utf8')))
        .length,
    )
    const admin = await verifyKit(kits.kit('admin@nvidia.com'), { now: NOW })
    expect([admin.he, heChecks(admin)]).toEqual([undefined, []])
  })

  it('fails a server context with the secret key, a client context without it, and a file that is no context', async () => {
    const he = await testHeKeyFiles()
    const kits = await kitsWith((wip) => {
      writeFileSync(join(wip, 'server1/startup', Layout.serverContext), he.client)
      writeFileSync(join(wip, 'site-1/startup', Layout.clientContext), he.server)
      writeFileSync(join(wip, 'site-2/startup', Layout.clientContext), 'not a context')
    })
    const messages = async (kit: string) =>
      heChecks(await verifyKit(kits.kit(kit), { now: NOW })).map((c) => `${c.status}: ${c.message}`)
    expect(await messages('server1')).toEqual([
      `fail: startup/${Layout.serverContext} holds the secret key; the server must not be able to decrypt`,
    ])
    expect(await messages('site-1')).toEqual([
      `fail: startup/${Layout.clientContext} has no secret key, so this client cannot decrypt`,
    ])
    expect(await messages('site-2')).toEqual([
      `fail: startup/${Layout.clientContext} is not a TenSEAL context`,
    ])
  })

  it('describes other parameters with the one HE description, and has no HE check for a kit without HE', async () => {
    const big = await makeHeKeyFiles({
      ...params,
      polyModulusDegree: 16384,
      coeffModBitSizes: [60, 40, 40, 60],
    })
    const kits = await kitsWith((wip) => {
      writeFileSync(join(wip, 'server1/startup', Layout.serverContext), big.server)
      rmSync(join(wip, 'site-1/startup', Layout.clientContext))
    })
    const server = await verifyKit(kits.kit('server1'), { now: NOW })
    expect(heChecks(server).map((c) => c.message)).toEqual([
      `startup/${Layout.serverContext}: CKKS N=16384 [60, 40, 40, 60] scale 2^40, no secret key, loads in SEAL`,
    ])
    const plain = await verifyKit(kits.kit('site-1'), { now: NOW })
    expect([plain.ok, plain.he, heChecks(plain)]).toEqual([true, undefined, []])
  })
})
