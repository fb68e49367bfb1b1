import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { smallProjectYaml } from '../helpers/projects.js'
import { ensureBuilt, runBin, STACK_LINE, useTempDir } from '../hostile/helpers.js'

/**
 * Declared builder dependencies through the built bin (issue 15; issue 14, defect 8): a builders list that
 * lacks what a builder requires is exit 2 at the list's line:col, naming what is missing and who needs it,
 * and nothing is written; never "internal error", exit 70.
 */

// smallProjectYaml('demo') with one client: the builders list starts at line 14, column 1.
const AT_LIST = 'builders (project.yml:14:1)'

describe('builder dependencies, through the built bin', () => {
  const tempDir = useTempDir('fedforge-deps-')
  beforeAll(ensureBuilt, 300_000)

  async function provisionWith(builders: string[], ...flags: string[]) {
    const dir = tempDir()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('demo', { builders }))
    const result = await runBin(['-p', 'project.yml', '-w', 'ws', ...flags], dir)
    return { ...result, dir }
  }

  function expectRefused(r: { code: number | null; stderr: string; dir: string }) {
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).not.toMatch(/internal error/)
    expect(r.stderr).not.toMatch(STACK_LINE)
    expect(existsSync(join(r.dir, 'ws'))).toBe(false)
  }

  it('[workspace, static, signature]: exit 2 at the list, naming the certificates and the signature builder', async () => {
    const r = await provisionWith(['workspace', 'static', 'signature'])
    expectRefused(r)
    expect(r.stderr).toContain('project.yml has 1 problem; nothing was written')
    expect(r.stderr).toContain(
      `${AT_LIST}: signature (builders[2]) needs the certificates and keys, which no builder in the list makes: add the cert builder (path: nvflare.lighter.impl.cert.CertBuilder)`,
    )
  })

  it('a list without the workspace builder names every builder that needs the kit folders', async () => {
    const r = await provisionWith([
      'nvflare.lighter.impl.static_file.StaticFileBuilder',
      'cert',
      'he',
      'signature',
    ])
    expectRefused(r)
    expect(r.stderr).toContain(
      `${AT_LIST}: static (builders[0]), cert (builders[1]), he (builders[2]) and signature (builders[3]) need the kit folders, which no builder in the list makes: add the workspace builder (path: nvflare.lighter.impl.workspace.WorkspaceBuilder)`,
    )
  })

  it('a list without cert or workspace reports both, one line each', async () => {
    const r = await provisionWith(['static', 'signature'])
    expectRefused(r)
    const lines = r.stderr.split('\n').filter((l) => l.startsWith(`  - ${AT_LIST}`))
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain('static (builders[0]) and signature (builders[1]) need the kit folders')
    expect(lines[1]).toContain('signature (builders[1]) needs the certificates and keys')
  })

  it('the docker builder without the static builder: it needs the kit configs its services start from', async () => {
    const r = await provisionWith(['workspace', 'docker', 'cert', 'signature'])
    expectRefused(r)
    expect(r.stderr).toContain(
      `${AT_LIST}: docker (builders[1]) needs the kits' config files and start scripts, which no builder in the list makes: add the static builder (path: nvflare.lighter.impl.static_file.StaticFileBuilder)`,
    )
  })

  it('an empty list: every run needs the kit folders', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'project.yml'), `${smallProjectYaml('demo')}builders: []\n`)
    const r = await runBin(['-p', 'project.yml', '-w', 'ws'], dir)
    expectRefused({ ...r, dir })
    expect(r.stderr).toContain(
      `${AT_LIST}: every run needs the kit folders, which no builder in the list makes: add the workspace builder`,
    )
  })

  it('a list in another order runs in the fixed order, with a warning at each entry listed before its providers; zip is a builder', async () => {
    const r = await provisionWith(['signature', 'zip', 'cert', 'static', 'workspace'], '--zip')
    expect(r.code, r.stderr).toBe(0)
    const warnings = r.stderr.split('\n').filter((l) => l.startsWith('warning: '))
    expect(warnings).toEqual([
      "warning: builders[0].path (project.yml:15:5): signature (builders[0]) is listed before cert (builders[2]) and workspace (builders[4]), which make what it needs; it runs after them here, but NVFlare's provision runs builders in the order listed",
      "warning: builders[2].path (project.yml:17:5): cert (builders[2]) is listed before workspace (builders[4]), which makes what it needs; it runs after it here, but NVFlare's provision runs builders in the order listed",
      "warning: builders[3].path (project.yml:18:5): static (builders[3]) is listed before workspace (builders[4]), which makes what it needs; it runs after it here, but NVFlare's provision runs builders in the order listed",
    ])
    expect(r.stderr.split('\n').filter((l) => l.startsWith('- '))).toEqual([
      '- workspace',
      '- static',
      '- cert',
      '- signature',
      '- zip',
    ])
    const prod = join(r.dir, 'ws', 'demo', 'prod_00')
    // listed and --zip: one zip builder, one zip per kit, made after signing (the zip holds signature.json)
    expect(readdirSync(prod).sort()).toEqual([
      'admin@example.com',
      'admin@example.com.zip',
      'server.example.com',
      'server.example.com.zip',
      'site-1',
      'site-1.zip',
    ])
    const zip = readFileSync(join(prod, 'site-1.zip'))
    expect(zip.includes('site-1/startup/signature.json')).toBe(true)
    const verify = await runBin(['verify', join(prod, 'site-1')], r.dir)
    expect(verify.code, verify.stdout + verify.stderr).toBe(0)
    expect(r.stdout.match(/site-1\.zip/g)).toHaveLength(1)
  })
})
