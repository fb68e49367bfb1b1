import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isProvisionError } from '../../src/errors.js'
import { inspectTenseal } from '../../src/he-builder/inspect.js'
import { Layout } from '../../src/provision/layout.js'
import { parseCertInfo } from '../../src/provision/pki/cert-info.js'
import { detectKitTarget } from '../../src/provision/targets/detect.js'
import type { NvflareVersion } from '../../src/provision/targets/version.js'
import { PocEnv } from '../../src/recipe/envs/poc-env.js'
import type { NvflareRuntime } from '../../src/recipe/envs/runtime.js'
import { SimEnv } from '../../src/recipe/envs/sim-env.js'
import { FedAvgRecipeWithHE } from '../../src/recipe/fedavg-he.js'
import { CLIENT_PY, tempDirs } from './helpers.js'
import { NOW } from './kits.js'

const temp = tempDirs()
afterEach(() => temp.cleanup())

const installed: NvflareRuntime = {
  installed: true,
  version: '2.7.1',
  python: 'python3',
  message: 'NVFlare 2.7.1',
}
const recipe = (nvflareVersion: NvflareVersion = '2.9') =>
  new FedAvgRecipeWithHE({
    nvflareVersion,
    minClients: 3,
    trainScript: CLIENT_PY,
    model: { classPath: 'model.Net' },
  })

describe('PocEnv', () => {
  it('provisions an HE PoC project (server, site-1…site-N, a project admin) and deploys the job to it', async () => {
    const workspace = temp.make()
    const result = await recipe().deploy(
      new PocEnv({ workspace, numClients: 3, runtime: () => installed, now: NOW }),
    )
    const prod = join(workspace, 'example_project', 'prod_00')
    expect(result.provisionedDir).toBe(prod)
    expect(
      readdirSync(prod)
        .filter((n) => !n.endsWith('.sh'))
        .sort(),
    ).toEqual(['admin@nvidia.com', 'localhost', 'site-1', 'site-2', 'site-3'])
    const admin = parseCertInfo(readFileSync(join(prod, 'admin@nvidia.com/startup/client.crt'), 'utf8'))
    expect([admin.cn, admin.role]).toEqual(['admin@nvidia.com', 'project_admin'])
    const server = await inspectTenseal(readFileSync(join(prod, 'localhost/startup', Layout.serverContext)))
    expect(server.kind === 'context' && server.keys.secretKey).toBe(false)
    expect(result.jobDir).toBe(join(prod, 'admin@nvidia.com', Layout.transfer, 'fedavg_he'))
    expect(existsSync(join(result.jobDir, 'app/config/config_fed_server.json'))).toBe(true)
    expect(result.nextSteps).toEqual([
      join(prod, 'start_all.sh'),
      join(prod, 'admin@nvidia.com/startup/fl_admin.sh'),
      'submit_job fedavg_he',
    ])
    expect(result).toMatchObject({
      env: 'poc',
      nvflareVersion: '2.9',
      submitted: false,
      trainingRan: false,
      warnings: [],
    })
    expect(result.kits.filter((k) => k.type === 'client').every((k) => k.heSecretKey === true)).toBe(true)
  })

  it.each(['2.7', '2.8'] as const)('provisions its kits for the job’s target (%s)', async (version) => {
    const workspace = temp.make()
    const env = new PocEnv({ workspace, numClients: 3, runtime: () => installed, now: NOW })
    const result = await recipe(version).deploy(env)
    const prod = join(workspace, 'example_project', 'prod_00')
    expect([detectKitTarget(join(prod, 'localhost')), detectKitTarget(join(prod, 'site-1'))]).toEqual([
      version,
      version,
    ])
    expect(result).toMatchObject({ nvflareVersion: version, warnings: [] })
  })

  it('refuses a numClients below 1', () => {
    expect(() => new PocEnv({ workspace: temp.make(), numClients: 0 })).toThrow(
      /numClients must be a whole number ≥ 1/,
    )
  })
})

describe('SimEnv', () => {
  it('is refused by the HE recipe, naming SimEnv and pointing at ProdEnv or PocEnv', async () => {
    const error = await recipe()
      .execute(new SimEnv({ numClients: 2 }))
      .catch((e: unknown) => e)
    expect(isProvisionError(error)).toBe(true)
    expect((error as Error).message).toMatch(/does not support SimEnv/)
    expect((error as Error).message).toMatch(/provisioned startup kits .* ProdEnv or PocEnv/)
  })

  it('refuses to run any job itself', async () => {
    await expect(new SimEnv().deploy(recipe().job)).rejects.toThrow(/SimEnv cannot run job "fedavg_he"/)
  })
})
