import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { detectKitTarget } from '../../src/provision/targets/detect.js'
import { smallProjectYaml } from '../helpers/projects.js'
import { runBin } from '../helpers/run-bin.js'
import { useTempDir } from '../helpers/temp.js'
import { ensureBuilt } from '../hostile/helpers.js'

beforeAll(ensureBuilt, 300_000)

const STATE = ['ws', 'tgt', 'state']
const server = (dir: string, prod: string) => join(dir, 'ws', 'tgt', prod, 'server.example.com')
const client = (dir: string, prod: string, name: string) => join(dir, 'ws', 'tgt', prod, name)

describe('the NVFlare target through the built bin', () => {
  const tempDir = useTempDir()

  it('is kept in state/ across reruns and --add-client, and a new --nvflare-version changes it, said so', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('tgt'))
    writeFileSync(join(dir, 'site.yml'), 'name: site-9\norg: org_a\n')
    const run = (...args: string[]) => runBin(['-p', 'project.yml', '-w', 'ws', ...args], dir)

    const first = run('--nvflare-version', '2.7')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain('NVFlare 2.7 (--nvflare-version)')
    const stateFile = join(dir, ...STATE, 'target.json')
    expect(JSON.parse(readFileSync(stateFile, 'utf8'))).toEqual({ nvflare_version: '2.7' })
    expect(statSync(stateFile).mode & 0o777).toBe(0o600)
    expect(detectKitTarget(server(dir, 'prod_00'))).toBe('2.7')

    const kept = run('--add-client', 'site.yml')
    expect(kept.code, kept.stderr).toBe(0)
    expect(kept.stdout).toContain('NVFlare 2.7 (kept from state/)')
    expect(kept.stdout).not.toContain('changed')
    expect(detectKitTarget(client(dir, 'prod_01', 'site-9'))).toBe('2.7')

    const changed = run('--nvflare-version', '2.9')
    expect(changed.code, changed.stderr).toBe(0)
    expect(changed.stdout).toContain('target changed from 2.7 to 2.9')
    expect(detectKitTarget(server(dir, 'prod_02'))).toBe('2.9')

    const json = run('--json')
    expect(json.code, json.stderr).toBe(0)
    expect(JSON.parse(json.stdout)).toMatchObject({
      nvflareVersion: '2.9',
      target: { source: 'state', changedFrom: null },
    })
    // cert.json keeps NVFlare's shape: the target lives in a file of its own
    const cert = JSON.parse(readFileSync(join(dir, ...STATE, 'cert.json'), 'utf8')) as Record<string, unknown>
    expect(Object.keys(cert).filter((k) => !k.startsWith('root_') && !/example\.com|site-/.test(k))).toEqual(
      [],
    )
  })

  it('a fresh workspace gets the default (2.8) and the summary says how to choose', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('tgt'))
    const r = runBin(['-p', 'project.yml', '-w', 'ws'], dir)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain('NVFlare 2.8 (the default; choose with --nvflare-version)')
    expect(detectKitTarget(server(dir, 'prod_00'))).toBe('2.8')
  })

  it('an unknown version is exit 2 before anything is written; a damaged target file is exit 3', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('tgt'))
    const bad = runBin(['-p', 'project.yml', '-w', 'ws', '--nvflare-version', '2.6'], dir)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--nvflare-version: "2.6" is not a supported NVFlare version')
    expect(existsSync(join(dir, 'ws'))).toBe(false)

    expect(runBin(['-p', 'project.yml', '-w', 'ws'], dir).code).toBe(0)
    writeFileSync(join(dir, ...STATE, 'target.json'), '{"nvflare_version": "1.0"}\n')
    const damaged = runBin(['-p', 'project.yml', '-w', 'ws'], dir)
    expect(damaged.code).toBe(3)
    expect(damaged.stderr).toMatch(/target\.json: "nvflare_version" is "1\.0", not a known target/)
    expect(readdirSync(join(dir, 'ws', 'tgt')).filter((f) => f.startsWith('prod_'))).toEqual(['prod_00'])
  })
})
