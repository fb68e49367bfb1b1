import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { smallProjectYaml } from '../helpers/projects.js'
import {
  BIN,
  type BinResult,
  collect,
  ensureBuilt,
  runBin,
  STACK_LINE,
  snapshot,
  useTempDir,
} from './helpers.js'

/**
 * Issue 14, defect 10: a failed run leaves the workspace as it was. The state files and the wip/ →
 * prod_NN rename are committed together: when the rename (or a later state file) fails, every state
 * file is put back. And the prod_NN index is a bounded integer: `prod_999999999999999999999` is refused
 * instead of making `prod_1e+21`.
 */

const FAIL_RENAME = fileURLToPath(new URL('./fixtures/fail-rename.mjs', import.meta.url))
const PROJECT = smallProjectYaml('demo', { builders: ['workspace', 'static', 'cert', 'he', 'signature'] })

/** The bin with renameSync failing (EIO) for destinations that match `pattern`. */
function runFailingRename(args: string[], cwd: string, pattern: string): Promise<BinResult> {
  const child = spawn(process.execPath, ['--import', FAIL_RENAME, BIN, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FEDFORGE_TEST_FAIL_RENAME: pattern },
  })
  return collect(child, 120_000)
}

/** Every file under `dir` with its content, to compare a workspace byte for byte. */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out[p.slice(dir.length)] = readFileSync(p).toString('base64')
    }
  }
  walk(dir)
  return out
}

describe('a failed commit changes nothing', () => {
  const temp = useTempDir('fedforge-commit-')
  const base = mkdtempSync(join(tmpdir(), 'fedforge-commit-base-'))
  afterAll(() => rmSync(base, { recursive: true, force: true }))
  beforeAll(async () => {
    await ensureBuilt()
    writeFileSync(join(base, 'project.yml'), PROJECT)
    writeFileSync(join(base, 'add.yml'), 'name: site-9\norg: org_a\n')
    const r = await runBin(['-p', 'project.yml', '-w', 'ws'], base)
    expect(r.code, r.stderr).toBe(0)
  }, 300_000)

  async function failAt(pattern: string, says: RegExp, prepare?: (ws: string) => void): Promise<void> {
    const dir = temp()
    cpSync(base, dir, { recursive: true })
    const ws = join(dir, 'ws')
    prepare?.(ws)
    const before = { tree: snapshot(ws), files: contents(ws) }
    const args = ['-p', 'project.yml', '-w', 'ws', '--add-client', 'add.yml']
    const r = await runFailingRename(args, dir, pattern)
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toMatch(says)
    expect(r.stderr).toMatch(/Hint: Check the disk/)
    expect(r.stderr).not.toMatch(STACK_LINE)
    expect(snapshot(ws)).toEqual(before.tree)
    expect(contents(ws)).toEqual(before.files)
  }

  it('the wip/ → prod_01 rename fails: state/cert.json is put back, no prod_01', async () => {
    await failAt('/prod_01$', /cannot create .*prod_01: an I\/O error \(EIO\); every state file was put back/)
  }, 120_000)

  it('the second state file fails after the first was replaced: both as before', async () => {
    // without a kept HE key the run stages two state files: cert.json (replaced first) and a new HE key
    await failAt(
      '/state/he_context\\.tenseal$',
      /cannot replace .*he_context\.tenseal: an I\/O error/,
      (ws) => rmSync(join(ws, 'demo', 'state', 'he_context.tenseal')),
    )
  }, 120_000)
})

describe('the prod_NN index is bounded', () => {
  const temp = useTempDir('fedforge-index-')
  beforeAll(ensureBuilt, 300_000)

  it('prod_999999999999999999999 is refused (exit 3); no prod_1e+21 is made, state is unchanged', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('demo'))
    expect((await runBin(['-p', 'project.yml', '-w', 'ws'], dir)).code).toBe(0)
    mkdirSync(join(dir, 'ws', 'demo', 'prod_999999999999999999999'))
    const before = snapshot(join(dir, 'ws'))
    const r = await runBin(['-p', 'project.yml', '-w', 'ws'], dir)
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toMatch(
      /prod_999999999999999999999: fedforge numbers its output folders prod_00 to prod_999999/,
    )
    expect(r.stderr).toMatch(/Hint: Rename that folder/)
    expect(snapshot(join(dir, 'ws'))).toEqual(before)
  }, 120_000)

  it('a high index below the bound is followed by the next one', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), smallProjectYaml('demo'))
    mkdirSync(join(dir, 'ws', 'demo', 'prod_0041'), { recursive: true })
    expect((await runBin(['-p', 'project.yml', '-w', 'ws'], dir)).code).toBe(0)
    expect(readdirSync(join(dir, 'ws', 'demo')).sort()).toEqual(['prod_0041', 'prod_42', 'state'])
  }, 120_000)
})
