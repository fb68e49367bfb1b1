import { X509Certificate } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { GENERATED_TOP_LEVEL, Layout } from '../../../src/provision/layout.js'
import { smallProjectYaml } from '../../helpers/projects.js'
import { useTempDir } from '../../helpers/temp.js'
import { ensureBuilt, runBin, STACK_LINE, snapshot } from '../../hostile/helpers.js'

/**
 * Issue 14, the other side of the hostile-input rules, through the built bin: what PyYAML and NVFlare
 * accept still provisions (merge keys, standard tags, a valid U+FFFD, IPv6 host names, a requirements file
 * in the project folder), and the names we reserve are exactly the ones we write.
 */
const temp = useTempDir('fedforge-accepted-')
beforeAll(() => ensureBuilt(), 300_000)

function certOf(ws: string, project: string, kit: string, file: string = Layout.clientCert): X509Certificate {
  return new X509Certificate(readFileSync(join(ws, project, 'prod_00', kit, Layout.startup, file)))
}

const MERGED = `api_version: 3
name: merged
x-client: &client
  type: client
  org: org_a
participants:
  - name: server.example.com
    type: server
    org: nvidia
  - <<: *client
    name: site-1
  - <<: [*client]
    name: site-2
    org: org_b
  - name: admin@example.com
    type: admin
    org: nvidia
    role: project_admin
`

describe('merge keys (<<: *anchor), as PyYAML reads them', () => {
  it('provisions clients built from an anchor; their own keys override it', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), MERGED)
    const r = await runBin(['-p', 'project.yml', '-w', 'ws'], dir)
    expect(r.code, r.stderr).toBe(0)
    expect(certOf(join(dir, 'ws'), 'merged', 'site-1').subject).toBe('CN=site-1\nO=org_a')
    expect(certOf(join(dir, 'ws'), 'merged', 'site-2').subject).toBe('CN=site-2\nO=org_b')
  })

  it('points a problem in a merged key at the anchor, where the value is written', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), MERGED.replace('  org: org_a', '  org: org-a'))
    const r = await runBin(['-p', 'project.yml', '-w', 'ws'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('  - participants[1].org (project.yml:5:3): expected an org name')
    expect(r.stderr).not.toContain('participants[2].org') // site-2 has its own org
    expect(r.stderr).not.toMatch(STACK_LINE)
    expect(snapshot(join(dir, 'ws'))).toEqual([])
  })
})

describe('text and tags', () => {
  it('accepts a valid U+FFFD and the standard tags, and refuses a stray byte where it is', async () => {
    const dir = temp()
    const text = smallProjectYaml('tags')
      .replace('name: tags', 'name: tags\ndescription: "Zürich \uFFFD replacement"')
      .replace('org: org_a', 'org: !!str org_a')
    writeFileSync(join(dir, 'project.yml'), text)
    const ok = await runBin(['-p', 'project.yml', '-w', 'ws'], dir)
    expect(ok.code, ok.stderr).toBe(0)
    const bad = Buffer.concat([Buffer.from('api_version: 3\ndescription: "äö'), Buffer.from([0x80, 0x22])])
    writeFileSync(join(dir, 'bad.yml'), bad)
    const r = await runBin(['-p', 'bad.yml', '-w', 'ws2'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('(top level) (bad.yml:2:17): expected UTF-8 text; byte 0x80')
    expect(snapshot(join(dir, 'ws2'))).toEqual([])
  })
})

describe('host names and IP addresses', () => {
  it('puts IPv4 and IPv6 addresses into the server certificate as IP entries', async () => {
    const dir = temp()
    const text = smallProjectYaml('hosts').replace(
      '    org: nvidia\n  - name: site-1',
      '    org: nvidia\n    host_names: ["::1", 10.0.0.5, fl2.example.com]\n  - name: site-1',
    )
    writeFileSync(join(dir, 'project.yml'), text)
    const r = await runBin(['-p', 'project.yml', '-w', 'ws'], dir)
    expect(r.code, r.stderr).toBe(0)
    const san = certOf(join(dir, 'ws'), 'hosts', 'server.example.com', Layout.serverCert).subjectAltName
    expect(san?.split(', ')).toEqual([
      'DNS:server.example.com',
      'IP Address:0:0:0:0:0:0:0:1',
      'IP Address:10.0.0.5',
      'DNS:fl2.example.com',
    ])
  })
})

const DOCKER = (args: string) =>
  `${smallProjectYaml('dock')}builders:\n  - path: workspace\n  - path: static\n  - path: docker\n    args: ${args}\n  - path: cert\n  - path: signature\n`

describe('the docker builder’s requirements file', () => {
  it('is read relative to the project folder, whatever the current folder', async () => {
    const dir = temp()
    mkdirSync(join(dir, 'proj', 'reqs'), { recursive: true })
    writeFileSync(join(dir, 'proj', 'project.yml'), DOCKER('{requirements_file: reqs/dev.txt}'))
    writeFileSync(join(dir, 'proj', 'reqs', 'dev.txt'), 'nvflare==2.7.0\ntenseal\n')
    const r = await runBin(['-p', 'proj/project.yml', '-w', 'ws'], dir)
    expect(r.code, r.stderr).toBe(0)
    const copied = join(dir, 'ws', 'dock', 'prod_00', Layout.composeDir, 'requirements.txt')
    expect(readFileSync(copied, 'utf8')).toBe('nvflare==2.7.0\ntenseal\n')
  })

  it('refuses the current folder’s requirements.txt the builder would read when it leads outside', async () => {
    const dir = temp()
    mkdirSync(join(dir, 'proj'))
    writeFileSync(join(dir, 'proj', 'project.yml'), DOCKER('{}'))
    symlinkSync('/etc/passwd', join(dir, 'requirements.txt'))
    const r = await runBin(['-p', 'proj/project.yml', '-w', 'ws'], dir)
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      / {2}- builders\[2\] \(project\.yml:17:5\): expected a requirements file inside the current folder .*it leads to "\/etc\/passwd"/,
    )
    expect(snapshot(join(dir, 'ws'))).toEqual([])
  })
})

describe('the names reserved in prod_NN', () => {
  it('are exactly the names written beside the kit folders (docker, -s, --zip)', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), DOCKER('{}'))
    const r = await runBin(['-p', 'project.yml', '-w', 'ws', '-s', '--zip'], dir)
    expect(r.code, r.stderr).toBe(0)
    const kits = ['server.example.com', 'site-1', 'admin@example.com']
    const expected = [...kits, ...kits.map((k) => `${k}${Layout.zipSuffix}`), ...GENERATED_TOP_LEVEL]
    expect(readdirSync(join(dir, 'ws', 'dock', 'prod_00')).sort()).toEqual(expected.sort())
  })
})
