import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeTensealContext } from '../../src/he-builder/tenseal-codec.js'
import { type BinResult, ensureBuilt, listFiles, REPO, runBin } from './helpers.js'

/**
 * Issue 7, secrets: keys, state files and the HE secret key are 0600 (state/ is 0700); nothing secret
 * is printed; no server or admin kit holds another participant's key or the HE secret key (every kit is
 * scanned, byte for byte).
 */

const mode = (path: string) => statSync(path).mode & 0o777
const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/

/** The base64 body lines of a PEM private key (long enough to be unique). */
function keyBody(pem: string): string[] {
  return pem.split('\n').filter((l) => /^[A-Za-z0-9+/=]{60,}$/.test(l))
}

interface Workspace {
  projectDir: string
  prod: string
  state: Record<string, unknown>
  heSecret: Buffer
  runs: BinResult[]
}

describe('secrets of a provisioned workspace (HE on)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedforge-secrets-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  let ws: Workspace

  beforeAll(async () => {
    await ensureBuilt()
    const example = join(REPO, 'project.yml.example')
    const plain = await runBin(['-p', example, '-w', join(dir, 'ws')], dir)
    const json = await runBin(['-p', example, '-w', join(dir, 'ws'), '--json', '-s', '--zip'], dir)
    const projectDir = join(dir, 'ws', 'hospital_federation')
    const state = JSON.parse(readFileSync(join(projectDir, 'state', 'cert.json'), 'utf8')) as Record<
      string,
      unknown
    >
    const he = decodeTensealContext(readFileSync(join(projectDir, 'state', 'he_context.tenseal')))
    const heSecret = Buffer.from(he.private?.secretKey ?? [])
    ws = { projectDir, prod: join(projectDir, 'prod_01'), state, heSecret, runs: [plain, json] }
  }, 300_000)

  it('both runs succeed', () => {
    for (const r of ws.runs) expect(r.code, r.stderr).toBe(0)
    expect(ws.heSecret.length).toBeGreaterThan(1000)
  })

  it('state/ is 0700 and every state file 0600', () => {
    const stateDir = join(ws.projectDir, 'state')
    expect(mode(stateDir)).toBe(0o700)
    const files = readdirSync(stateDir)
    expect(files).toEqual(expect.arrayContaining(['cert.json', 'he_context.tenseal']))
    for (const f of files) expect(mode(join(stateDir, f)), f).toBe(0o600)
  })

  it('every private key and HE secret file in the kits is 0600, and the lock file is gone', () => {
    const secrets = listFiles(ws.projectDir).filter((f) => /\.key$|client_context\.tenseal$/.test(f))
    expect(secrets.length).toBeGreaterThan(10)
    for (const f of secrets) expect(mode(f), relative(ws.projectDir, f)).toBe(0o600)
    expect(readdirSync(ws.projectDir)).not.toContain('.provision.lock')
  })

  it('prints no secret on stdout or stderr', () => {
    const bodies = [ws.state['root_pri_key'] as string]
    for (const v of Object.values(ws.state))
      if (v && typeof v === 'object') bodies.push((v as { pri_key: string }).pri_key)
    const lines = bodies.flatMap(keyBody)
    expect(lines.length).toBeGreaterThan(20)
    const heB64 = ws.heSecret.subarray(0, 48).toString('base64')
    for (const r of ws.runs) {
      const output = r.stdout + r.stderr
      expect(output).not.toMatch(PRIVATE_KEY)
      for (const line of lines) expect(output.includes(line)).toBe(false)
      expect(output.includes(heB64)).toBe(false)
      expect(output).not.toMatch(/[A-Za-z0-9+/]{200,}/) // no long base64 blob of any kind
    }
  })

  it('no server or admin kit holds another private key or the HE secret key', () => {
    const sample = ws.heSecret.subarray(ws.heSecret.length - 256)
    const kits = readdirSync(ws.prod).filter((k) => statSync(join(ws.prod, k)).isDirectory())
    expect(kits).toHaveLength(8)
    for (const kit of kits) {
      const dir = join(ws.prod, kit)
      const server = readdirSync(join(dir, 'startup')).includes('fed_server.json')
      const admin = readdirSync(join(dir, 'startup')).includes('fed_admin.json')
      const ownKey = join(dir, 'startup', server ? 'server.key' : 'client.key')
      const own = (ws.state[kit] as { pri_key: string }).pri_key
      expect(readFileSync(ownKey, 'utf8'), `${kit}: its own key`).toBe(own)
      if (!server && !admin) continue
      for (const file of listFiles(dir)) {
        const rel = `${kit}/${relative(dir, file)}`
        expect(basename(file), rel).not.toBe('client_context.tenseal')
        const bytes = readFileSync(file)
        expect(bytes.indexOf(sample), `${rel} holds HE secret key bytes`).toBe(-1)
        if (file !== ownKey)
          expect(PRIVATE_KEY.test(bytes.toString('latin1')), `${rel} holds a private key`).toBe(false)
      }
      if (server) {
        const ctx = decodeTensealContext(readFileSync(join(dir, 'startup', 'server_context.tenseal')))
        expect(ctx.private?.secretKey, 'server_context.tenseal has a secret key').toBeUndefined()
      }
    }
  })
})
