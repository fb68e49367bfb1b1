import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { smallProjectYaml } from '../helpers/projects.js'
import { collect, ensureBuilt, runBin, startBin, useTempDir } from './helpers.js'

/** Ctrl-C while keys are being made: the run stops, removes wip/ and its lock, exits 130. */
describe('Ctrl-C (SIGINT) during provisioning, through the built bin', () => {
  const tmp = useTempDir('fedforge-interrupt-')
  beforeAll(ensureBuilt, 300_000)

  it('removes the unfinished kits, keeps the earlier prod_NN and state as they were, and exits 130', async () => {
    const cwd = tmp()
    writeFileSync(join(cwd, 'small.yml'), smallProjectYaml('stopme', { clients: 1 }))
    const first = await runBin(['-p', 'small.yml', '-w', 'ws'], cwd)
    expect(first.code, first.stderr).toBe(0)
    const project = join(cwd, 'ws', 'stopme')
    const before = readFileSync(join(project, 'state', 'cert.json'))

    // 60 more clients: 60 new keys, several seconds of key generation to interrupt
    writeFileSync(join(cwd, 'big.yml'), smallProjectYaml('stopme', { clients: 61 }))
    const child = startBin(['-p', 'big.yml', '-w', 'ws'], cwd)
    let sent = false
    child.stderr?.on('data', (d: Buffer) => {
      if (!sent && d.toString('utf8').includes('keys: ')) {
        sent = true
        child.kill('SIGINT')
      }
    })
    const r = await collect(child, 60_000)
    expect(sent).toBe(true)
    expect(r.code, r.stderr).toBe(130)
    expect(r.stderr).toMatch(/interrupted: nothing was written/)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(readdirSync(project).sort()).toEqual(['prod_00', 'state'])
    expect(existsSync(join(project, 'wip'))).toBe(false)
    expect(readFileSync(join(project, 'state', 'cert.json'))).toEqual(before)
    expect(readdirSync(join(project, 'prod_00')).sort()).toEqual([
      'admin@example.com',
      'server.example.com',
      'site-1',
    ])

    const again = await runBin(['-p', 'small.yml', '-w', 'ws'], cwd)
    expect(again.code, again.stderr).toBe(0) // the lock was released
    expect(readdirSync(project).sort()).toEqual(['prod_00', 'prod_01', 'state'])
  }, 120_000)
})
