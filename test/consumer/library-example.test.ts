import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readTenseal } from '../../src/he-builder/read-tenseal.js'
import { Layout } from '../../src/provision/layout.js'
import { loadProjectFile } from '../../src/provision/project/load.js'
import { verifyKit } from '../../src/provision/verify/verify-kit.js'
import { REPO } from '../helpers/paths.js'
import { installConsumer, packRepo, readmeLibraryExample, run } from './consumer-project.js'

const PROBE = join(REPO, 'test', 'consumer', 'load-probe.mjs')
const TSC = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc')
const CLIENT_PY = join(REPO, 'test', 'fixtures', 'recipe', 'client.py')
/** A hang guard only (npm ci, tsc and an HE provision run on a loaded 2-core machine), never an assertion. */
const TIME_LIMIT = 300_000

/** Runs node with the load probe in the consumer project; returns stdout and the probe's lines. */
function probed(cwd: string, args: string[]) {
  const r = spawnSync(process.execPath, ['--import', PROBE, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
  })
  const lines = r.stderr.split('\n')
  return {
    code: r.status,
    stdout: r.stdout,
    stderr: lines.filter((l) => !l.startsWith('probe:')).join('\n'),
    loads: lines.filter((l) => l.startsWith('probe:load ')).map((l) => l.slice('probe:load '.length)),
    probe: lines.filter((l) => l.startsWith('probe:')),
  }
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>

describe("the README's library example, in a project that installed the packed package", () => {
  let root: string
  let consumer: string

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'fedforge-consumer-'))
    consumer = join(root, 'consumer')
    mkdirSync(consumer)
    installConsumer(consumer, packRepo(root))
  }, TIME_LIMIT)
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it(
    'importing fedforge loads no CLI code and no node-seal, and starts no worker',
    () => {
      // After the import, one worker of our own: proof that the probe sees workers being started.
      const script = [
        "await import('fedforge')",
        "process.stderr.write('probe:imported\\n')",
        "const { Worker } = await import('node:worker_threads')",
        "await new Promise((done) => new Worker('0', { eval: true }).on('exit', done))",
      ].join('\n')
      const r = probed(consumer, ['--input-type=module', '-e', script])
      expect(r.stderr.trim()).toBe('')
      expect(r.code).toBe(0)
      const fedforge = join(consumer, 'node_modules', 'fedforge', 'dist', 'index.js')
      expect(r.loads).toContain(`file://${fedforge}`)
      const forbidden = ['/node-seal/', '/commander/', '/@inquirer/', '/archiver/', '/fedforge/dist/cli/']
      expect(r.loads.filter((url) => forbidden.some((part) => url.includes(part)))).toEqual([])
      const imported = r.probe.indexOf('probe:imported')
      expect(r.probe.slice(0, imported).filter((l) => l.startsWith('probe:worker'))).toEqual([])
      expect(r.probe.slice(imported).filter((l) => l.startsWith('probe:worker'))).toHaveLength(1)
    },
    TIME_LIMIT,
  )

  it(
    'type-checks with tsc --strict (module NodeNext) and runs: verified kits and an HE FedAvg job',
    async () => {
      writeFileSync(join(consumer, 'index.ts'), readmeLibraryExample())
      const types = join(REPO, 'node_modules', '@types')
      // A Node 20 consumer's settings (@tsconfig/node20's lib and target); TypeScript's own lib files unchecked.
      const tsc = ['--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022']
      tsc.push('--lib', 'es2023', '--skipDefaultLibCheck')
      run(process.execPath, [TSC, ...tsc, '--types', 'node', '--typeRoots', types, 'index.ts'], consumer)
      // What the README asks for: a project.yml (`provision -g`) and the training script.
      run(process.execPath, [join('node_modules', '.bin', 'provision'), '-g'], consumer)
      copyFileSync(CLIENT_PY, join(consumer, 'client.py'))

      const r = probed(consumer, ['index.js'])
      expect(r.stderr.trim()).toBe('')
      expect(r.code).toBe(0)
      expect(r.loads.some((url) => url.includes('/node_modules/node-seal/'))).toBe(true) // loaded when HE is used

      const project = loadProjectFile(join(consumer, 'project.yml'))
      const prodDir = join(consumer, 'workspace', project.name, 'prod_00')
      const names = project.participants.map((p) => p.name).sort()
      expect(readdirSync(prodDir).sort()).toEqual(names)
      const roots = new Set<string | undefined>()
      for (const name of names) {
        const report = await verifyKit(join(prodDir, name))
        expect(report.ok, `${name}: ${JSON.stringify(report.checks)}`).toBe(true)
        if (report.type === 'server' || report.type === 'client') expect(report.nvflareVersion).toBe('2.8')
        roots.add(report.rootFingerprint)
      }
      expect(roots.size).toBe(1)
      for (const client of project.clients) {
        const he = await readTenseal(join(prodDir, client.name, Layout.startup, Layout.clientContext))
        expect(he).toMatchObject({ kind: 'context', keys: { secretKey: true } })
      }
      const serverHe = await readTenseal(
        join(prodDir, project.server.name, Layout.startup, Layout.serverContext),
      )
      expect(serverHe).toMatchObject({ kind: 'context', keys: { secretKey: false, relinKeys: true } })

      const jobDir = join(consumer, 'jobs', 'fedavg_he')
      // What the example printed names the new prod_NN folder and the job's files.
      expect(r.stdout).toContain(prodDir)
      expect(r.stdout).toMatch(/app\/config\/config_fed_server\.json.*meta\.json/)
      expect(readJson(join(jobDir, 'meta.json'))).toMatchObject({ min_clients: project.clients.length })
      const server = JSON.stringify(readJson(join(jobDir, 'app/config/config_fed_server.json')))
      expect(server).toContain('"num_rounds":3')
      expect(server).toMatch(/nvflare\.app_opt\.he\.[\w.]+\.HEInTimeAccumulateWeightedAggregator/)
      const client = JSON.stringify(readJson(join(jobDir, 'app/config/config_fed_client.json')))
      expect(client).toMatch(/nvflare\.app_opt\.he\.model_encryptor\.HEModelEncryptor/)
      expect(client).toMatch(/nvflare\.app_opt\.he\.model_decryptor\.HEModelDecryptor/)
      expect(readFileSync(join(jobDir, 'app/custom/client.py'))).toEqual(readFileSync(CLIENT_PY))
      expect(existsSync(join(consumer, 'node_modules', 'fedforge', 'src'))).toBe(false) // only bin/ and dist/
    },
    TIME_LIMIT,
  )
})
