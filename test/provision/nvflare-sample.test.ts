import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProjectFile } from '../../src/provision/project/load.js'
import { provision } from '../../src/provision/provisioner.js'
import { REFERENCE } from '../helpers/paths.js'
import { useTempDir } from '../helpers/temp.js'

const SAMPLE = join(REFERENCE, 'nvflare-sample')
const KITS = join(SAMPLE, 'kits')
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as unknown

/** Every JSON config of NVFlare's own kits, as [kit, path inside the kit]. */
const CONFIGS: [string, string][] = [
  ['server1', 'startup/fed_server.json'],
  ['server1', 'local/authorization.json.default'],
  ['server1', 'local/log_config.json.default'],
  ['server1', 'local/privacy.json.sample'],
  ['server1', 'local/resources.json.default'],
  ['site-1', 'startup/fed_client.json'],
  ['site-1', 'local/authorization.json.default'],
  ['site-1', 'local/log_config.json.default'],
  ['site-1', 'local/privacy.json.sample'],
  ['site-1', 'local/resources.json.default'],
  ['admin@nvidia.com', 'startup/fed_admin.json'],
  ['admin@nvidia.com', 'local/resources.json.default'],
]

describe("NVFlare's sample project.yml, unchanged", () => {
  const tempDir = useTempDir()

  it("provisions, and every JSON config equals NVFlare's key by key and value by value", async () => {
    const workspace = tempDir()
    const project = loadProjectFile(join(SAMPLE, 'project.yml'))
    // the sample is NVFlare main's output: our target 2.9
    const result = await provision({ project, workspace, nvflareVersion: '2.9' })
    expect(result.prodDir).toBe(join(workspace, 'example_project', 'prod_00'))
    for (const [kit, file] of CONFIGS) {
      const ours = json(join(result.prodDir, kit, file))
      expect(ours, `${kit}/${file}`).toEqual(json(join(KITS, kit, file)))
    }
    // site-2 and the other admins differ from their samples only by name
    const site2 = json(join(result.prodDir, 'site-2', 'startup', 'fed_client.json')) as {
      client: { fqsn: string }
    }
    expect(site2.client.fqsn).toBe('site-2')
  })

  it('writes the files of NVFLARE-FORMATS.md §2 with their modes', async () => {
    const workspace = tempDir()
    const result = await provision({ project: loadProjectFile(join(SAMPLE, 'project.yml')), workspace })
    const { statSync } = await import('node:fs')
    const mode = (rel: string) => statSync(join(result.prodDir, rel)).mode & 0o777
    for (const script of ['start.sh', 'sub_start.sh', 'stop_fl.sh']) {
      expect(mode(`server1/startup/${script}`)).toBe(0o755)
      expect(mode(`site-1/startup/${script}`)).toBe(0o755)
    }
    expect(mode('admin@nvidia.com/startup/fl_admin.sh')).toBe(0o755)
    expect(mode('server1/startup/server.key')).toBe(0o600)
    expect(mode('site-1/startup/client.key')).toBe(0o600)
    const sub = readFileSync(join(result.prodDir, 'site-1/startup/sub_start.sh'), 'utf8')
    expect(sub).toContain('-m nvflare.private.fed.app.client.client_train')
    expect(sub).toContain('-s fed_client.json')
    expect(sub).toContain('--set secure_train=true config_folder=config org=nvidia uid=site-1')
    const serverSub = readFileSync(join(result.prodDir, 'server1/startup/sub_start.sh'), 'utf8')
    expect(serverSub).toContain('-m nvflare.private.fed.app.server.server_train')
    expect(serverSub).toContain('--set secure_train=true config_folder=config org=nvidia')
    expect(serverSub).not.toContain('uid=')
    const admin = readFileSync(join(result.prodDir, 'admin@nvidia.com/startup/fl_admin.sh'), 'utf8')
    expect(admin).toContain('python3 -m nvflare.fuel.hci.tools.admin -m "$DIR/.." -s fed_admin.json')
    const allow = (
      json(join(result.prodDir, 'site-1/local/resources.json.default')) as { class_allow_list: string[] }
    ).class_allow_list
    expect(allow.filter((c) => c.startsWith('nvflare.app_opt.he.'))).toHaveLength(5)
  })
})
