import { spawnSync } from 'node:child_process'
import { createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto'
import {
  closeSync,
  cpSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BIN, ensureBuilt, REPO, runBin } from './helpers.js'

/**
 * Issue 14, defects 4, 17 and 20, through `provision verify`: secrets are found by content, whatever
 * their name, place or size (a client's HE context renamed, the state's HE key, a PEM key at the end of a
 * 17 MB file, DER keys, keys across the scanner's chunk edges); a symbolic link anywhere in a kit (a
 * link to a client key, a symlinked startup/) fails the kit and nothing is read through it; signed files
 * are hashed as streams (a 400 MB file does not take 400 MB of memory).
 */

const CHUNK = 1024 * 1024
const SERVER = 'server.example.com'
const ADMIN = 'admin@example.com'

describe('provision verify finds secrets by content and refuses links', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fedforge-vsecrets-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  let prod: string
  let state: string
  let n = 0

  beforeAll(async () => {
    await ensureBuilt()
    const r = await runBin(['-p', join(REPO, 'project.yml.example'), '-w', 'ws'], dir)
    expect(r.code, r.stderr).toBe(0)
    prod = join(dir, 'ws', 'hospital_federation', 'prod_00')
    state = join(dir, 'ws', 'hospital_federation', 'state')
  }, 300_000)

  /** A copy of one kit (with its siblings' server kit beside it), to tamper with. */
  function copyKit(kit: string): string {
    const parent = join(dir, `case-${n++}`)
    mkdirSync(parent)
    cpSync(join(prod, kit), join(parent, kit), { recursive: true, verbatimSymlinks: true })
    if (kit !== SERVER) cpSync(join(prod, SERVER), join(parent, SERVER), { recursive: true })
    return join(parent, kit)
  }

  async function verify(kit: string): Promise<{ code: number | null; out: string }> {
    const r = await runBin(['verify', kit], dir, 120_000)
    expect(r.signal).toBeNull()
    expect(r.stderr).not.toMatch(/internal error/)
    return { code: r.code, out: r.stdout }
  }

  async function expectSecret(kit: string, says: RegExp): Promise<void> {
    const r = await verify(kit)
    expect(r.code, r.out).toBe(1)
    expect(r.out).toMatch(
      new RegExp(`FAIL {2}secrets: secret material that does not belong here: .*${says.source}`),
    )
  }

  it('every kit of a fresh HE project passes (no false alarm on real HE contexts and keys)', async () => {
    for (const kit of readdirSync(prod)) {
      const r = await verify(join(prod, kit))
      expect(r.code, r.out).toBe(0)
      expect(r.out).toMatch(/ok {4}secrets: no secret material besides/)
    }
  })

  it('a client HE context under another name, in the server kit', async () => {
    const kit = copyKit(SERVER)
    cpSync(join(prod, 'site-1', 'startup', 'client_context.tenseal'), join(kit, 'local', 'model.bin'))
    await expectSecret(kit, /local\/model\.bin \(HE secret key\)/)
  })

  it("the state's HE key, in an admin kit", async () => {
    const kit = copyKit(ADMIN)
    mkdirSync(join(kit, 'transfer'), { recursive: true })
    cpSync(join(state, 'he_context.tenseal'), join(kit, 'transfer', 'backup.dat'))
    await expectSecret(kit, /transfer\/backup\.dat \(HE secret key\)/)
  })

  it('a PEM key at the end of a 17 MB file', async () => {
    const kit = copyKit(SERVER)
    const key = readFileSync(join(prod, 'site-1', 'startup', 'client.key'))
    writeFileSync(join(kit, 'local', 'big.log'), Buffer.concat([randomBytes(17 * CHUNK), key]))
    await expectSecret(kit, /local\/big\.log \(PEM private key\)/)
  })

  it('DER keys: RSA PKCS#8 and PKCS#1, and an EC key (SEC1)', async () => {
    const kit = copyKit(ADMIN)
    const rsa = createPrivateKey(readFileSync(join(prod, 'site-2', 'startup', 'client.key')))
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    writeFileSync(join(kit, 'local', 'a.der'), rsa.export({ format: 'der', type: 'pkcs8' }))
    writeFileSync(
      join(kit, 'local', 'b.bin'),
      Buffer.concat([randomBytes(999), rsa.export({ format: 'der', type: 'pkcs1' })]),
    )
    writeFileSync(join(kit, 'local', 'c.bin'), ec.export({ format: 'der', type: 'sec1' }))
    const r = await verify(kit)
    expect(r.code).toBe(1)
    for (const f of ['a.der', 'b.bin', 'c.bin']) expect(r.out).toContain(`local/${f} (DER private key)`)
  })

  it('a PEM, a DER and an HE key that straddle the 1 MiB chunk edge', async () => {
    const kit = copyKit(SERVER)
    const pem = readFileSync(join(prod, 'site-1', 'startup', 'client.key'))
    const der = createPrivateKey(pem).export({ format: 'der', type: 'pkcs8' })
    const he = readFileSync(join(prod, 'site-1', 'startup', 'client_context.tenseal'))
    const at = (secret: Buffer, before: number) =>
      Buffer.concat([randomBytes(CHUNK - before), secret, randomBytes(CHUNK)])
    writeFileSync(join(kit, 'local', 'p.bin'), at(pem, 7)) // "-----BEGIN" cut after 7 bytes
    writeFileSync(join(kit, 'local', 'd.bin'), at(der, 2)) // the SEQUENCE header before, the rest after
    writeFileSync(join(kit, 'local', 'h.bin'), at(he, 3))
    const r = await verify(kit)
    expect(r.code).toBe(1)
    expect(r.out).toContain('local/p.bin (PEM private key)')
    expect(r.out).toContain('local/d.bin (DER private key)')
    expect(r.out).toContain('local/h.bin (HE secret key)')
  })

  it('a symbolic link to a client key fails the kit (layout), and nothing is read through it', async () => {
    const kit = copyKit(SERVER)
    symlinkSync(join(prod, 'site-1', 'startup', 'client.key'), join(kit, 'local', 'k.pem'))
    const r = await verify(kit)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(
      /FAIL {2}layout: a kit holds only files and folders; refused: local\/k\.pem \(a symbolic link to .*site-1\/startup\/client\.key\)/,
    )
    expect(r.out).not.toMatch(/chain|signatures/)
  })

  it('a symlinked startup/ is refused, not followed out of the kit', async () => {
    const kit = copyKit('site-1')
    const outside = join(dir, `outside-${n++}`)
    renameSync(join(kit, 'startup'), outside)
    symlinkSync(outside, join(kit, 'startup'))
    const r = await verify(kit)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/FAIL {2}layout: .*refused: startup \(a symbolic link to .*outside-\d+\)/)
    expect(r.out).not.toMatch(/ok {4}(chain|key|signatures)/)
  })

  it('a FIFO in a kit is refused too (it would block any reader)', async () => {
    const kit = copyKit(ADMIN)
    spawnSync('mkfifo', [join(kit, 'local', 'pipe')])
    expect(existsSync(join(kit, 'local', 'pipe'))).toBe(true)
    const r = await verify(kit)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/refused: local\/pipe \(a named pipe\)/)
  })

  it('a 400 MB signed file is hashed and scanned as a stream: peak RSS stays far below its size', async () => {
    const kit = copyKit(SERVER)
    const big = join(kit, 'local', 'big.bin')
    const fd = openSync(big, 'w')
    ftruncateSync(fd, 400 * CHUNK) // sparse: quick to make, read as 400 MB of zeros
    closeSync(fd)
    const sigFile = join(kit, 'local', 'signature.json')
    const doc = JSON.parse(readFileSync(sigFile, 'utf8')) as Record<string, string>
    doc['big.bin'] = Buffer.alloc(256).toString('base64') // a signature entry, so that the file is hashed
    writeFileSync(sigFile, JSON.stringify(doc))
    const r = spawnSync('/usr/bin/time', ['-f', 'maxrss=%M', process.execPath, BIN, 'verify', kit], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
    })
    expect(r.status, r.stderr).toBe(1)
    expect(r.stdout).toMatch(/FAIL {2}signatures: .*local\/big\.bin does not match its signature/)
    const kb = Number(/maxrss=(\d+)/.exec(r.stderr)?.[1])
    expect(kb, r.stderr).toBeGreaterThan(0)
    expect(kb * 1024).toBeLessThan(200 * CHUNK)
  }, 120_000)
})
