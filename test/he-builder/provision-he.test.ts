import { constants, createPublicKey, verify } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ProvisionError } from '../../src/errors.js'
import { CkksVector } from '../../src/he-builder/ckks-vector.js'
import { HeContext } from '../../src/he-builder/he-context.js'
import { decodeTensealContext } from '../../src/he-builder/tenseal-codec.js'
import { Layout } from '../../src/provision/layout.js'
import { loadProject } from '../../src/provision/project/load.js'
import { provision } from '../../src/provision/provisioner.js'
import { maxAbsError, TempDirs, topLevelFields } from './helpers.js'

const temp = new TempDirs()
afterEach(() => temp.cleanup())

function projectYaml(heArgs: string): string {
  return `api_version: 3
name: he_project
description: HE end to end
participants:
  - { name: server1, type: server, org: nvidia, fed_learn_port: 8002, admin_port: 8003 }
  - { name: site-1, type: client, org: nvidia }
  - { name: site-2, type: client, org: nvidia }
  - { name: admin@nvidia.com, type: admin, org: nvidia, role: project_admin }
builders:
  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder
  - path: nvflare.lighter.impl.static_file.StaticFileBuilder
  - path: nvflare.lighter.impl.cert.CertBuilder
  - path: nvflare.lighter.impl.he.HEBuilder
    args: ${heArgs}
  - path: nvflare.lighter.impl.signature.SignatureBuilder
`
}

const defaultArgs =
  '{ poly_modulus_degree: 8192, coeff_mod_bit_sizes: [60, 40, 40], scale_bits: 40, scheme: CKKS }'

/** Checks an RSA-PSS (SHA-256, MGF1-SHA-256) signature.json entry against the kit's root certificate. */
function verifySigned(kitDir: string, fileName: string): boolean {
  const startup = join(kitDir, Layout.startup)
  const signatures = JSON.parse(readFileSync(join(startup, Layout.signature), 'utf8')) as Record<
    string,
    string
  >
  const signature = signatures[fileName]
  if (!signature) return false
  const rootKey = createPublicKey(readFileSync(join(startup, Layout.rootCert), 'utf8'))
  return verify(
    'sha256',
    readFileSync(join(startup, fileName)),
    { key: rootKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO },
    Buffer.from(signature, 'base64'),
  )
}

async function kitContext(kitDir: string, fileName: string): Promise<HeContext> {
  return HeContext.fromBytes(new Uint8Array(readFileSync(join(kitDir, Layout.startup, fileName))))
}

describe('provision() with the HE builder', () => {
  it('writes signed HE contexts, keeps the key in state/, and a client added later decrypts', async () => {
    const workspace = temp.make()
    const first = await provision({ project: loadProject(projectYaml(defaultArgs)), workspace })
    expect(first.he).toEqual({
      scheme: 'CKKS',
      polyModulusDegree: 8192,
      coeffModBitSizes: [60, 40, 40],
      scaleBits: 40,
      reusedKey: false,
    })
    const kit = (name: string) => join(first.prodDir, name)
    expect(verifySigned(kit('server1'), Layout.serverContext)).toBe(true)
    expect(verifySigned(kit('site-1'), Layout.clientContext)).toBe(true)
    expect(existsSync(join(kit('admin@nvidia.com'), Layout.startup, Layout.clientContext))).toBe(false)
    expect(topLevelFields(readFileSync(join(kit('server1'), Layout.startup, Layout.serverContext)))).toEqual([
      1, 2, 4,
    ])
    const stateFile = join(first.projectDir, Layout.stateDir, Layout.heStateFile)
    expect(statSync(stateFile).mode & 0o777).toBe(0o600)
    expect(decodeTensealContext(new Uint8Array(readFileSync(stateFile))).private?.secretKey).toBeDefined()

    const old = await kitContext(kit('site-1'), Layout.clientContext)
    const wire = CkksVector.encrypt(old, [1.5, -2, 1e-3]).toBytes()
    old.delete()

    const added = [{ file: 'site-3.yml', entry: { name: 'site-3', org: 'nvidia', type: 'client' } }]
    const second = await provision({
      project: loadProject(projectYaml(defaultArgs), 'project.yml', added),
      workspace,
    })
    expect(second.he?.reusedKey).toBe(true)
    const site3 = join(second.prodDir, 'site-3')
    expect(verifySigned(site3, Layout.clientContext)).toBe(true)
    const newcomer = await kitContext(site3, Layout.clientContext)
    const vector = CkksVector.fromBytes(newcomer, wire)
    expect(maxAbsError(vector.decrypt(), [1.5, -2, 1e-3])).toBeLessThan(1e-6)
    vector.delete()
    newcomer.delete()
  })

  it('fails a run that changes the HE parameters without --rotate-he-key, leaving the workspace as it was', async () => {
    const workspace = temp.make()
    const first = await provision({ project: loadProject(projectYaml(defaultArgs)), workspace })
    const stateFile = join(first.projectDir, Layout.stateDir, Layout.heStateFile)
    const before = readFileSync(stateFile)
    const wider = '{ coeff_mod_bit_sizes: [60, 40, 40, 60] }'
    await expect(provision({ project: loadProject(projectYaml(wider)), workspace })).rejects.toMatchObject({
      code: 'he-params-changed',
    })
    expect(readdirSync(first.projectDir).filter((n) => n.startsWith(Layout.prodPrefix))).toEqual(['prod_00'])
    expect(readFileSync(stateFile).equals(before)).toBe(true)

    const rotated = await provision({
      project: loadProject(projectYaml(wider)),
      workspace,
      options: { rotateHeKey: true },
    })
    expect(rotated.he).toMatchObject({ reusedKey: false, coeffModBitSizes: [60, 40, 40, 60] })
    expect(readFileSync(stateFile).equals(before)).toBe(false)
  })

  it('refuses insecure HE parameters when the project is loaded, before anything is written', () => {
    const text = projectYaml('{ poly_modulus_degree: 4096, coeff_mod_bit_sizes: [60, 40, 40] }')
    let problems: readonly string[] = []
    try {
      loadProject(text)
    } catch (error) {
      expect(error).toBeInstanceOf(ProvisionError)
      problems = (error as ProvisionError).problems
    }
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(
      /^builders\[3\]\.args\.coeff_mod_bit_sizes \(project\.yml:14:40\): .*128-bit security/,
    )
  })
})
