import { createHash } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { smallProjectYaml } from '../helpers/projects.js'
import { runBin } from '../helpers/run-bin.js'
import { useTempDir } from '../helpers/temp.js'

interface Summary {
  prodDir: string
  kits: { name: string; type: string; dir: string }[]
  zips: { name: string; file: string; sha256: string }[]
}

describe('provision -p (the command)', () => {
  const tempDir = useTempDir()

  it('--zip --json: one JSON document naming every zip in prod_NN with its SHA-256', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('zipped', { clients: 2 }))
    const r = runBin(['-p', 'project.yml', '--zip', '--json'], dir)
    expect(r.code).toBe(0)
    const summary = JSON.parse(r.stdout) as Summary
    expect(summary.zips.map((z) => z.name)).toEqual(summary.kits.map((k) => k.name).sort())
    for (const z of summary.zips) {
      expect(z.file).toBe(join(summary.prodDir, `${z.name}.zip`))
      expect(createHash('sha256').update(readFileSync(z.file)).digest('hex')).toBe(z.sha256)
    }
  })

  it('prints where the kits are, the zips, and what to do next', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('plain'))
    const r = runBin(['-p', 'project.yml', '--zip'], dir)
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/Provisioned plain: 3 kits \(1 server, 1 clients, 1 admins\)/)
    expect(r.stdout).toMatch(/prod_00\/site-1\.zip {2}sha256 [0-9a-f]{64}/)
    expect(r.stdout).toContain('provision verify')
  })

  it('kit folders are 0755 and their startup/ (private key) 0700', () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('modes'))
    expect(runBin(['-p', 'project.yml'], dir).code).toBe(0)
    const kit = join(dir, 'workspace', 'modes', 'prod_00', 'site-1')
    expect(statSync(kit).mode & 0o777).toBe(0o755)
    expect(statSync(join(kit, 'startup')).mode & 0o777).toBe(0o700)
    expect(statSync(join(kit, 'local')).mode & 0o777).toBe(0o755)
  })
})
