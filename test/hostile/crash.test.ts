import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { verifyKit } from '../../src/provision/verify/verify-kit.js'
import { smallProjectYaml } from '../helpers/projects.js'
import { collect, ensureBuilt, startBin, useTempDir } from './helpers.js'

/**
 * Issue 7, crash safety: SIGKILL `provision` at random points (module loading, key generation, HE context,
 * signing, the state write) in one workspace, again and again. After each kill: every prod_NN is complete
 * (every kit verifies), state/cert.json parses and is the old file or the new one (same root CA), the HE
 * key is never replaced; finally a run completes and reuses the state.
 */

const PROJECT = smallProjectYaml('crashy', { builders: ['workspace', 'static', 'cert', 'he', 'signature'] })
const BASE_KITS = ['admin@example.com', 'server.example.com', 'site-1']

/** mulberry32: a small seeded generator, so a failure replays. */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Where a run is killed: after a progress line on stderr (or the start), plus up to `jitter` ms. */
const TRIGGERS: { after: string | undefined; jitter: number }[] = [
  { after: undefined, jitter: 1500 },
  { after: '- cert', jitter: 700 },
  { after: 'keys: ', jitter: 400 },
  { after: '- he', jitter: 500 },
  { after: '- signature', jitter: 250 },
]

interface Outcome {
  code: number | null
  signal: NodeJS.Signals | null
}

function runAndKill(
  ws: string,
  cwd: string,
  extra: string[],
  trigger: (typeof TRIGGERS)[number],
  delay: number,
) {
  const child = startBin(['-p', 'project.yml', '-w', ws, ...extra], cwd)
  const kill = () => setTimeout(() => child.kill('SIGKILL'), delay)
  if (trigger.after === undefined) kill()
  else {
    let armed = false
    child.stderr?.on('data', (d: Buffer) => {
      if (!armed && d.toString('utf8').includes(trigger.after!)) {
        armed = true
        kill()
      }
    })
  }
  return collect(child, 120_000) as Promise<Outcome & { stderr: string }>
}

const prodDirs = (projectDir: string) =>
  existsSync(projectDir)
    ? readdirSync(projectDir)
        .filter((n) => /^prod_\d+$/.test(n))
        .sort()
    : []

function readState(projectDir: string): { cert: string | undefined; he: Buffer | undefined } {
  const cert = join(projectDir, 'state', 'cert.json')
  const he = join(projectDir, 'state', 'he_context.tenseal')
  return {
    cert: existsSync(cert) ? readFileSync(cert, 'utf8') : undefined,
    he: existsSync(he) ? readFileSync(he) : undefined,
  }
}

async function expectCompleteProd(dir: string, kits: string[]): Promise<void> {
  expect(readdirSync(dir).sort()).toEqual(kits)
  for (const kit of kits) {
    const report = await verifyKit(join(dir, kit))
    const failed = report.checks.filter((c) => c.status === 'fail')
    expect(failed, `${dir}/${kit}`).toEqual([])
  }
}

describe('SIGKILL at random points', () => {
  const temp = useTempDir()
  beforeAll(ensureBuilt, 300_000)

  it('leaves a complete prod_NN or none, the old or the new state, and a rerun that reuses it', async () => {
    const dir = temp()
    writeFileSync(join(dir, 'project.yml'), PROJECT)
    const ws = join(dir, 'ws')
    const projectDir = join(ws, 'crashy')
    const random = rng(7)
    let firstRoot: string | undefined
    let killed = 0
    let completed = 0
    const seenRuns: string[] = []
    // Until 20 runs were killed (a run that finishes before its kill time counts as a successful rerun).
    for (let run = 0; killed < 20 && run < 80; run++) {
      const before = { prods: prodDirs(projectDir), ...readState(projectDir) }
      // A new client on every run, so that every run generates a key (and runs the key pool).
      const add = join(dir, `add-${run}.yml`)
      writeFileSync(add, `name: extra-${run}\norg: org_b\n`)
      const trigger = TRIGGERS[run % TRIGGERS.length]!
      const r = await runAndKill(
        ws,
        dir,
        ['--add-client', add],
        trigger,
        Math.floor(random() * trigger.jitter),
      )
      if (r.signal === 'SIGKILL') killed++
      else {
        expect(r.code, r.stderr).toBe(0)
        completed++
      }
      seenRuns.push(`${run}:${trigger.after ?? 'start'}:${r.signal ?? r.code}`)
      const after = { prods: prodDirs(projectDir), ...readState(projectDir) }
      // prod_NN: none added, or exactly one, complete, with this run's kits.
      const added = after.prods.filter((p) => !before.prods.includes(p))
      expect(added.length).toBeLessThanOrEqual(1)
      if (added[0])
        await expectCompleteProd(join(projectDir, added[0]), [...BASE_KITS, `extra-${run}`].sort())
      else expect(r.signal, 'a run that exited normally must have written a prod_NN').toBe('SIGKILL')
      // state/cert.json: the old file, or a new one that parses, keeps the root and has this run's client.
      if (after.cert !== before.cert) {
        expect(after.cert).toBeDefined()
        const state = JSON.parse(after.cert!) as Record<string, { cert?: string } | string>
        expect(typeof state['root_cert']).toBe('string')
        if (before.cert)
          expect(state['root_cert']).toBe((JSON.parse(before.cert) as { root_cert: string }).root_cert)
        expect(Object.keys(state)).toContain(`extra-${run}`)
        firstRoot ??= state['root_cert'] as string
      }
      if (added[0]) expect(after.cert).toContain(`"extra-${run}"`)
      // The HE key is written once and then only reused.
      if (before.he) expect(after.he?.equals(before.he)).toBe(true)
    }
    expect(killed, seenRuns.join(' ')).toBeGreaterThanOrEqual(20)

    const before = readState(projectDir)
    const final = await collect(startBin(['-p', 'project.yml', '-w', ws], dir), 120_000)
    expect(final.code, final.stderr).toBe(0)
    const prods = prodDirs(projectDir)
    await expectCompleteProd(join(projectDir, prods.at(-1)!), BASE_KITS)
    const after = readState(projectDir)
    if (before.cert) {
      const [old, now] = [before.cert, after.cert!].map((t) => JSON.parse(t) as Record<string, unknown>)
      expect(now!['root_cert']).toBe(old!['root_cert'])
      for (const name of BASE_KITS) expect(now![name]).toEqual(old![name])
    }
    if (firstRoot) expect((JSON.parse(after.cert!) as { root_cert: string }).root_cert).toBe(firstRoot)
    if (before.he) expect(after.he?.equals(before.he)).toBe(true)
    expect(readdirSync(projectDir).filter((n) => n.endsWith('.tmp') || n === 'wip')).toEqual([])
    expect(readdirSync(join(projectDir, 'state')).filter((n) => n.endsWith('.tmp'))).toEqual([])
    console.log(`crash runs: ${killed} killed, ${completed} completed; ${seenRuns.join(' ')}`)
  }, 600_000)
})
