import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPackageBuilder } from '../../../src/provision/builders/package.js'
import { buildSignedKits, makeTempDir } from '../../helpers/pki-fixtures.js'

const hasUnzip = (() => {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

describe('package builder (--zip)', () => {
  let tmp: ReturnType<typeof makeTempDir>
  beforeEach(() => {
    tmp = makeTempDir()
  })
  afterEach(() => tmp.cleanup())

  it('writes one zip per kit beside the kits, with modes and relative paths, and its sha256', async () => {
    const { ctx, events, project } = await buildSignedKits(tmp.dir, new Date('2026-03-01T12:00:00Z'))
    await createPackageBuilder().build(ctx)
    const zips = events.filter((e) => e.type === 'zip-written')
    expect(zips.map((e) => e.name).sort()).toEqual(project.participants.map((p) => p.name).sort())
    for (const e of zips) {
      if (e.type !== 'zip-written') continue
      expect(e.file).toBe(`${e.name}.zip`)
      const file = join(ctx.wipDir, e.file)
      expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(e.sha256)
      expect(statSync(file).mode & 0o777).toBe(0o600)
    }
    if (!hasUnzip) return
    const listing = execFileSync('unzip', ['-Z', join(ctx.wipDir, 'site-1.zip')], { encoding: 'utf8' })
    expect(listing).toMatch(/-rw------- .* site-1\/startup\/client\.key/)
    expect(listing).toMatch(/-rwxr-xr-x .* site-1\/startup\/start\.sh/)
    expect(listing).toMatch(/site-1\/local\/custom\/readme\.txt/)
    const names = execFileSync('unzip', ['-Z1', join(ctx.wipDir, 'site-1.zip')], { encoding: 'utf8' })
      .trim()
      .split('\n')
    expect(names[0]).toBe('site-1/')
    expect(names.every((n) => n.startsWith('site-1/') && !n.includes('..'))).toBe(true)
    const out = join(tmp.dir, 'unzipped')
    mkdirSync(out)
    execFileSync('unzip', ['-q', join(ctx.wipDir, 'site-1.zip'), '-d', out])
    const original = readFileSync(join(ctx.kitDir('site-1'), 'startup/signature.json'))
    expect(readFileSync(join(out, 'site-1/startup/signature.json'))).toEqual(original)
    expect(statSync(join(out, 'site-1/startup/client.key')).mode & 0o777).toBe(0o600)
    const context = 'site-1/startup/client_context.tenseal'
    expect(readFileSync(join(out, context))).toEqual(
      readFileSync(join(ctx.kitDir('site-1'), 'startup/client_context.tenseal')),
    )
    // `unzip -v`: the HE context is stored as it is (zstd inside already), everything else deflated
    const verbose = execFileSync('unzip', ['-v', join(ctx.wipDir, 'site-1.zip')], { encoding: 'utf8' })
    expect(verbose).toMatch(/\bStored\b.*client_context\.tenseal/)
    expect(verbose).toMatch(/\bDefl:\w\b.*startup\/fed_client\.json/)
  })

  it('refuses a symbolic link in a kit', async () => {
    const { ctx } = await buildSignedKits(tmp.dir, new Date())
    symlinkSync('/etc/passwd', join(ctx.kitDir('site-1'), 'local', 'link'))
    await expect(createPackageBuilder().build(ctx)).rejects.toThrow(/not a regular file or folder/)
  })
})
