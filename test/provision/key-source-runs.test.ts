import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KEY_METHODS, keyMethodName } from '../../src/provision/pki/key-source.js'
import { loadProject } from '../../src/provision/project/load.js'
import { provision } from '../../src/provision/provisioner.js'
import { checkKeyLikeOpenSsl } from '../helpers/key-checks.js'
import { fixtureKeySource } from '../helpers/key-fixtures.js'
import { REPO } from '../helpers/paths.js'
import { smallProjectYaml } from '../helpers/projects.js'
import { useTempDir } from '../helpers/temp.js'

const BUILDERS = ['workspace', 'static', 'cert'] // no HE: these tests are about keys
const project = (name: string) => loadProject(smallProjectYaml(name, { builders: BUILDERS }))
const KEY_FILES = [
  'server.example.com/startup/server.key',
  'site-1/startup/client.key',
  'admin@example.com/startup/client.key',
]
const kitKeys = (prodDir: string) => KEY_FILES.map((f) => readFileSync(join(prodDir, f), 'utf8'))

describe('provision(): the key source comes with the request', () => {
  const tempDir = useTempDir()

  it('two runs at once each take their keys from their own source, which they leave open', async () => {
    const [a, b] = [fixtureKeySource(0), fixtureKeySource(10)]
    const ws = tempDir()
    const [ra, rb] = await Promise.all([
      provision({ project: project('alpha'), workspace: ws, keySource: a }),
      provision({ project: project('beta'), workspace: ws, keySource: b }),
    ])
    expect([ra.keySource, rb.keySource]).toEqual(['test-fixture', 'test-fixture'])
    expect(a.taken).toHaveLength(4) // root + 3 kits
    expect(b.taken).toHaveLength(4)
    for (const pem of kitKeys(ra.prodDir)) expect(a.taken).toContain(pem)
    for (const pem of kitKeys(rb.prodDir)) expect(b.taken).toContain(pem)
    expect(a.taken.some((pem) => b.taken.includes(pem))).toBe(false)
    expect([a.closed, b.closed]).toEqual([0, 0]) // the caller's: provision() does not close them
  })

  it.each(KEY_METHODS)(
    'keySource %j: a pool of the run makes keys that pass every OpenSSL key check',
    async (method) => {
      const result = await provision({ project: project('m'), workspace: tempDir(), keySource: method })
      expect(result.keySource).toBe(keyMethodName(method))
      const keys = kitKeys(result.prodDir)
      expect(new Set(keys).size).toBe(3)
      for (const pem of keys) checkKeyLikeOpenSsl(pem)
    },
  )

  it('refuses an unknown keySource with exit 2 and writes nothing', async () => {
    const ws = tempDir()
    const run = provision({ project: project('bad'), workspace: ws, keySource: 'rsa' as never })
    await expect(run).rejects.toMatchObject({ code: 'bad-key-source', exitCode: 2 })
    expect(readdirSync(ws)).toEqual([])
  })

  it.runIf(process.platform === 'linux')(
    'a process that provisions several times, one by one and at once, ends by itself with no worker left',
    () => {
      // The built library in a fresh process: an unsettled top-level await would be exit 13, a worker left
      // running a thread that /proc counts (the thread count is taken once libuv's thread pool has started).
      const dir = tempDir()
      const script = join(dir, 'runs.mjs')
      writeFileSync(script, RUNS_SCRIPT)
      const r = spawnSync(process.execPath, [script, join(REPO, 'dist'), dir], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, PROJECT_YAML: smallProjectYaml('runs', { builders: BUILDERS }) },
      })
      expect(r.status, r.stderr).toBe(0)
      const runs = JSON.parse(r.stdout) as { keySource?: string; threads: number }[]
      const openssl = keyMethodName('openssl')
      expect(runs.map((x) => x.keySource)).toEqual([
        undefined,
        openssl,
        'prime-search',
        `prime-search,${openssl}`,
      ])
      for (const run of runs) expect(run.threads).toBe(runs[0]!.threads)
    },
  )
})

const RUNS_SCRIPT = `
import { promises, readdirSync } from 'node:fs'
const [dist, ws] = process.argv.slice(2)
await promises.readFile(new URL(import.meta.url)) // libuv's thread pool starts now, not during a run
const { provision } = await import(dist + '/provision/provisioner.js')
const { loadProject } = await import(dist + '/provision/project/load.js')
const threads = () => readdirSync('/proc/self/task').length
const project = loadProject(process.env.PROJECT_YAML)
const out = [{ threads: threads() }]
for (const keySource of ['openssl', 'prime-search']) {
  const r = await provision({ project, workspace: ws + '/' + keySource, keySource })
  out.push({ keySource: r.keySource, threads: threads() })
}
const both = await Promise.all([
  provision({ project, workspace: ws + '/a', keySource: 'prime-search' }),
  provision({ project, workspace: ws + '/b', keySource: 'openssl' }),
])
out.push({ keySource: both.map((r) => r.keySource).join(','), threads: threads() })
console.log(JSON.stringify(out))
`
