import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { isProvisionError, type ProvisionError } from '../../src/errors.js'
import { Layout } from '../../src/provision/layout.js'
import { verifyKit } from '../../src/provision/verify/verify-kit.js'
import { ProdEnv } from '../../src/recipe/envs/prod-env.js'
import { type NvflareRuntime, probeNvflare } from '../../src/recipe/envs/runtime.js'
import { FedAvgRecipeWithHE } from '../../src/recipe/fedavg-he.js'
import { CLIENT_PY, tempDirs } from './helpers.js'
import { ADMIN, copyKits, otherHeKey, provisionHeKits, replaceContext, resign } from './kits.js'

const shared = tempDirs()
const temp = tempDirs()
let prodDir = ''
let projectDir = ''
let foreignProd = ''

beforeAll(async () => {
  ;({ prodDir, projectDir } = await provisionHeKits(shared.make()))
  foreignProd = (await provisionHeKits(shared.make(), 1, 'other_project')).prodDir
})
afterAll(() => shared.cleanup())
afterEach(() => temp.cleanup())

const absent: NvflareRuntime = {
  installed: false,
  version: undefined,
  python: 'python3',
  message: 'not installed',
}
const recipe = (minClients = 2) =>
  new FedAvgRecipeWithHE({ minClients, trainScript: CLIENT_PY, numRounds: 3 })
const env = (kits: string, username = ADMIN) =>
  new ProdEnv({ startupKitLocation: join(kits, ADMIN), username, runtime: () => absent })

async function refusal(promise: Promise<unknown>): Promise<ProvisionError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  if (!isProvisionError(error)) throw new Error(`expected a ProvisionError, got ${String(error)}`)
  return error
}

describe('ProdEnv', () => {
  it('checks the kits, writes the job into the admin kit’s transfer/ and returns the submit command', async () => {
    const kits = copyKits(prodDir, temp.make())
    const r = recipe()
    const result = await r.deploy(env(kits))
    const transfer = join(kits, ADMIN, Layout.transfer)
    expect(result.jobDir).toBe(join(transfer, 'fedavg_he'))
    expect(result.submitCommand).toBe('submit_job fedavg_he')
    expect(result.nextSteps).toEqual([join(kits, ADMIN, 'startup', 'fl_admin.sh'), 'submit_job fedavg_he'])
    expect(result).toMatchObject({ env: 'prod', submitted: false, trainingRan: false, runtime: absent })
    expect(result.warnings).toContain('not installed')
    const byName = Object.fromEntries(result.kits.map((k) => [k.name, k]))
    expect(byName['server']).toMatchObject({ type: 'server', heSecretKey: false })
    expect(byName['site-1']).toMatchObject({ type: 'client', heSecretKey: true })
    expect(byName['site-2']?.signedFiles).toBeGreaterThan(5)
    // The deployed job is the recipe's export, file for file.
    const exported = r.export(temp.make())
    for (const file of exported.files) {
      expect(readFileSync(join(result.jobDir, file)), file).toEqual(readFileSync(join(exported.jobDir, file)))
    }
  })

  it('warns when the job needs more clients than there are client kits', async () => {
    const result = await recipe(3).deploy(env(copyKits(prodDir, temp.make())))
    expect(result.warnings).toContain('job "fedavg_he" needs 3 clients but only 2 client kit(s) were found')
  })

  it('reports plainly whether NVFlare’s runtime is installed (real probe)', () => {
    const runtime = probeNvflare()
    expect(typeof runtime.installed).toBe('boolean')
    expect(runtime.message).toMatch(runtime.installed ? /^NVFlare .* is installed/ : /not installed/)
  })

  it('refuses a folder that is not an admin kit', async () => {
    const e = await refusal(recipe().deploy(new ProdEnv({ startupKitLocation: join(prodDir, 'site-1') })))
    expect(e.code).toBe('not-a-kit')
  })

  it('refuses a username that is not the kit’s', async () => {
    const e = await refusal(recipe().deploy(env(prodDir, 'lead@nvidia.com')))
    expect([e.code, e.message]).toEqual(['admin-kit-user', expect.stringContaining('"admin@nvidia.com"')])
  })

  it('refuses when the certificate CN is not the username (verifyKit’s identity check)', async () => {
    const kits = copyKits(prodDir, temp.make())
    const fedAdmin = join(kits, ADMIN, Layout.startup, Layout.fedAdmin)
    const doc = JSON.parse(readFileSync(fedAdmin, 'utf8'))
    doc.admin.username = 'mallory@nvidia.com'
    writeFileSync(fedAdmin, JSON.stringify(doc))
    await resign(projectDir, join(kits, ADMIN))
    const e = await refusal(recipe().deploy(env(kits, 'mallory@nvidia.com')))
    expect([e.code, e.problems]).toEqual([
      'kits-not-he-ready',
      [`${ADMIN}: identity: certificate CN "admin@nvidia.com" is not "mallory@nvidia.com"`],
    ])
  })

  it('refuses a kit whose signed file was changed, with verifyKit’s message', async () => {
    const kits = copyKits(prodDir, temp.make())
    const fedServer = join(kits, 'server', Layout.startup, Layout.fedServer)
    writeFileSync(fedServer, readFileSync(fedServer, 'utf8').replace('8002', '9002'))
    const e = await refusal(recipe().deploy(env(kits)))
    const report = await verifyKit(join(kits, 'server'))
    const failed = report.checks.filter((c) => c.status === 'fail')
    expect(failed.map((c) => c.message)).toEqual([`startup/${Layout.fedServer} does not match its signature`])
    expect(e.code).toBe('kits-not-he-ready')
    expect(e.problems).toEqual(failed.map((c) => `server: ${c.name}: ${c.message}`))
    expect(readdirSync(join(kits, ADMIN, Layout.transfer))).toEqual([])
  })

  it('refuses a kit signed by another root CA (cross-kit: one root)', async () => {
    const kits = copyKits(prodDir, temp.make())
    cpSync(join(foreignProd, 'site-1'), join(kits, 'site-9'), { recursive: true })
    // Its own root verifies it, so the one-root check is what tells it apart.
    const own = await verifyKit(join(kits, 'site-9'))
    expect(
      own.checks.filter((c) => c.name === 'chain' || c.name === 'signatures').map((c) => c.status),
    ).toEqual(['ok', 'ok', 'ok'])
    const e = await refusal(recipe().deploy(env(kits)))
    expect(e.problems).toContain(
      'site-9: signed by a different root CA than the admin kit (another provisioning project?)',
    )
  })

  it('refuses a server context that holds the secret key', async () => {
    const kits = copyKits(prodDir, temp.make())
    const client = readFileSync(join(kits, 'site-1', Layout.startup, Layout.clientContext))
    await replaceContext(projectDir, join(kits, 'server'), Layout.serverContext, client)
    const e = await refusal(recipe().deploy(env(kits)))
    expect(e.problems).toContain(
      `server: he: startup/${Layout.serverContext} holds the secret key; the server must not be able to decrypt`,
    )
  })

  it('refuses a client kit without an HE context (kits provisioned without HE)', async () => {
    const kits = copyKits(prodDir, temp.make())
    await replaceContext(projectDir, join(kits, 'site-2'), Layout.clientContext, null)
    const e = await refusal(recipe().deploy(env(kits)))
    expect(e.problems).toEqual([`site-2: no ${Layout.clientContext}; provision the kits with the HE builder`])
  })

  it('refuses a client without the secret key, clients with different keys, and different parameters', async () => {
    const kits = copyKits(prodDir, temp.make())
    const other = await otherHeKey()
    await replaceContext(projectDir, join(kits, 'site-1'), Layout.clientContext, other.server)
    await replaceContext(projectDir, join(kits, 'site-2'), Layout.clientContext, other.client)
    const e = await refusal(recipe().deploy(env(kits)))
    expect(e.problems).toEqual([
      `site-1: he: startup/${Layout.clientContext} has no secret key, so this client cannot decrypt`,
    ])
    const kits2 = copyKits(prodDir, temp.make())
    await replaceContext(projectDir, join(kits2, 'site-2'), Layout.clientContext, other.client)
    const e2 = await refusal(recipe().deploy(env(kits2)))
    expect(e2.problems).toEqual([expect.stringMatching(/clients hold different HE secret keys/)])
    const big = await otherHeKey(16384)
    const kits3 = copyKits(prodDir, temp.make())
    await replaceContext(projectDir, join(kits3, 'server'), Layout.serverContext, big.server)
    const e3 = await refusal(recipe().deploy(env(kits3)))
    expect(e3.problems).toEqual([
      'HE parameters differ between kits: server CKKS N=16384 [60, 40, 40, 60] scale 2^40; ' +
        'site-1 CKKS N=8192 [60, 40, 40] scale 2^40; site-2 CKKS N=8192 [60, 40, 40] scale 2^40',
    ])
  })

  it('refuses a server context of another HE key, and clients that share another key than the server', async () => {
    const other = await otherHeKey()
    const foreignServer = `server: startup/${Layout.serverContext} was made from another HE key than the clients' (another provisioning run?)`
    const kits = copyKits(prodDir, temp.make())
    await replaceContext(projectDir, join(kits, 'server'), Layout.serverContext, other.server)
    expect((await verifyKit(join(kits, 'server'))).ok).toBe(true)
    expect((await refusal(recipe().deploy(env(kits)))).problems).toEqual([foreignServer])
    // Every client on the other key: they agree with each other, but not with the server.
    const kits2 = copyKits(prodDir, temp.make())
    for (const site of ['site-1', 'site-2']) {
      await replaceContext(projectDir, join(kits2, site), Layout.clientContext, other.client)
    }
    expect((await refusal(recipe().deploy(env(kits2)))).problems).toEqual([foreignServer])
  })
})
