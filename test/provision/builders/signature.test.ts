import { constants, createPublicKey, verify } from 'node:crypto'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { signatureBuilderFactory } from '../../../src/provision/builders/signature.js'
import { verifyContent } from '../../../src/provision/pki/signing.js'
import { buildSignedKits, makeTempDir } from '../../helpers/pki-fixtures.js'

const NOW = new Date('2026-03-01T12:00:00Z')

describe('signature builder', () => {
  let tmp: ReturnType<typeof makeTempDir>
  beforeEach(() => {
    tmp = makeTempDir()
  })
  afterEach(() => tmp.cleanup())

  it('signs every file and sub-folder of startup/ and local/ with the root key (RSA-PSS, max salt)', async () => {
    const { ctx, events, project } = await buildSignedKits(tmp.dir, NOW)
    const rootKey = createPublicKey(ctx.pki!.root.certPem)
    let entries = 0
    for (const p of project.participants) {
      for (const sub of ['startup', 'local']) {
        const dir = join(ctx.kitDir(p), sub)
        const text = readFileSync(join(dir, 'signature.json'), 'utf8')
        expect(text).toMatch(/^\{"[^"]+": "[A-Za-z0-9+/=]{344}"(, "[^"]+": "[A-Za-z0-9+/=]{344}")*\}$/)
        const doc = JSON.parse(text) as Record<string, string>
        const names = readdirSync(dir)
          .filter((n) => n !== 'signature.json')
          .sort()
        expect(Object.keys(doc)).toEqual(names)
        for (const [name, sig] of Object.entries(doc)) {
          const data = name === 'custom' ? Buffer.from('custom') : readFileSync(join(dir, name))
          expect(verifyContent(rootKey, data, sig)).toBe(true)
          expect(Buffer.from(sig, 'base64')).toHaveLength(256)
          const maxSalt = { key: rootKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 222 }
          expect(verify('sha256', data, maxSalt, Buffer.from(sig, 'base64'))).toBe(true)
          entries++
        }
      }
    }
    expect(entries).toBe(29)
    const signatures = (kit: string, sub: string) =>
      JSON.parse(readFileSync(join(ctx.wipDir, kit, sub, 'signature.json'), 'utf8')) as Record<string, string>
    const [site1, site2] = [signatures('site-1', 'startup'), signatures('site-2', 'startup')]
    // RSA-PSS has a random salt: equal signatures mean the same bytes were signed once and shared
    for (const same of ['rootCA.pem', 'client_context.tenseal', 'start.sh', 'fed_client.json']) {
      expect(site1[same], same).toBe(site2[same])
    }
    expect(site1['client.crt']).not.toBe(site2['client.crt'])
    expect(site1['client.key']).not.toBe(site2['client.key'])
    expect(signatures('site-1', 'local')['custom']).toBe(signatures('server1', 'local')['custom'])
    expect(events.filter((e) => e.type === 'signed')).toHaveLength(8)
    expect(signatureBuilderFactory).toMatchObject({
      id: 'signature',
      phase: 80,
      nvflarePaths: ['nvflare.lighter.impl.signature.SignatureBuilder'],
    })
  })

  it('signs what is on disk: files written behind the context, and files changed after writeFile', async () => {
    const { ctx } = await buildSignedKits(tmp.dir, NOW, 'example_project', (wip) => {
      writeFileSync(join(wip, 'site-1/local/extra.txt'), 'written without ctx.writeFile')
      writeFileSync(join(wip, 'site-2/startup/start.sh'), '#!/bin/sh\necho changed on disk\n')
    })
    const rootKey = createPublicKey(ctx.pki!.root.certPem)
    for (const [kit, sub, name] of [
      ['site-1', 'local', 'extra.txt'],
      ['site-2', 'startup', 'start.sh'],
    ] as const) {
      const dir = join(ctx.wipDir, kit, sub)
      const doc = JSON.parse(readFileSync(join(dir, 'signature.json'), 'utf8')) as Record<string, string>
      expect(verifyContent(rootKey, readFileSync(join(dir, name)), doc[name]!), name).toBe(true)
    }
  })
})
