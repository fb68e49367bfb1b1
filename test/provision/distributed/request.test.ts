import { createPrivateKey, createPublicKey } from 'node:crypto'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkCsr } from '../../../src/provision/distributed/csr.js'
import { sha256Hex } from '../../../src/provision/distributed/format.js'
import { makeRequest, parseRequest } from '../../../src/provision/distributed/request.js'
import { testKeys } from '../../helpers/pki-fixtures.js'
import { useTempDir } from '../../helpers/temp.js'

const tempDir = useTempDir('fedforge-request-')
const fixedKey = () => testKeys(1)[0]!

describe('makeRequest', () => {
  it('writes the key 0600 and a request whose CSR verifies and names the participant', () => {
    const dir = join(tempDir(), 'req')
    const made = makeRequest({ name: 'site-9', org: 'hospital_c', dir, makeKey: fixedKey })
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(made.keyFile).mode & 0o777).toBe(0o600)
    expect(made.keyFile).toBe(join(dir, 'site-9.key'))
    const bytes = readFileSync(made.requestFile)
    const request = parseRequest(bytes, made.requestFile)
    expect(request.sha256).toBe(sha256Hex(bytes))
    expect(request.fields).toEqual({ name: 'site-9', org: 'hospital_c', type: 'client', role: undefined })
    const keyBytes = readFileSync(made.keyFile)
    expect(request.keySha256).toBe(sha256Hex(keyBytes))
    const checked = checkCsr(request.csrPem, request.fields, 'req')
    const own = createPublicKey(createPrivateKey(keyBytes)).export({ type: 'spki', format: 'der' })
    expect(checked.publicKey.export({ type: 'spki', format: 'der' }).equals(own)).toBe(true)
    expect(checked.bits).toBe(2048)
    const body = keyBytes.toString('utf8').split('\n')[1]!
    expect(bytes.toString('utf8')).not.toContain(body)
  })

  it('makes an admin request with its role in the CSR subject', () => {
    const dir = tempDir()
    const made = makeRequest({
      name: 'ops@hospital.org',
      org: 'hospital_c',
      type: 'admin',
      role: 'lead',
      dir,
      makeKey: fixedKey,
    })
    const request = parseRequest(readFileSync(made.requestFile), 'r')
    expect(request.fields.role).toBe('lead')
    expect(() => checkCsr(request.csrPem, request.fields, 'r')).not.toThrow()
    expect(() => checkCsr(request.csrPem, { ...request.fields, role: 'member' }, 'r')).toThrow(/role/)
  })

  it('refuses bad fields and an existing request, writing nothing', () => {
    const dir = tempDir()
    expect(() => makeRequest({ name: 'ops@x.org', org: 'a', type: 'admin', dir, makeKey: fixedKey })).toThrow(
      expect.objectContaining({ exitCode: 2, problems: [expect.stringMatching(/role/)] }),
    )
    expect(() => makeRequest({ name: 'bad name', org: 'a', dir, makeKey: fixedKey })).toThrow(
      expect.objectContaining({ exitCode: 2 }),
    )
    expect(() => makeRequest({ name: 'site-1', org: 'a', role: 'lead', dir, makeKey: fixedKey })).toThrow(
      expect.objectContaining({ problems: [expect.stringMatching(/only an admin has a role/)] }),
    )
    expect(existsSync(join(dir, 'site-1.key'))).toBe(false)
    writeFileSync(join(dir, 'site-2.request.json'), 'earlier')
    expect(() => makeRequest({ name: 'site-2', org: 'a', dir, makeKey: fixedKey })).toThrow(/already exists/)
    expect(existsSync(join(dir, 'site-2.key'))).toBe(false)
    expect(readFileSync(join(dir, 'site-2.request.json'), 'utf8')).toBe('earlier')
  })

  it('refuses an unknown keySource from a library caller (exit 2, naming keySource), writing nothing', () => {
    const dir = join(tempDir(), 'req')
    const keySource = 'rsa' as unknown as 'openssl' // what an untyped caller can pass
    expect(() => makeRequest({ name: 'site-9', org: 'h', dir, keySource })).toThrow(
      expect.objectContaining({
        exitCode: 2,
        message: expect.stringContaining('keySource: unknown key source "rsa"'),
      }),
    )
    expect(existsSync(dir)).toBe(false)
  })
})

describe('parseRequest', () => {
  function good(): string {
    const dir = tempDir()
    return readFileSync(
      makeRequest({ name: 'site-9', org: 'org_c', dir, makeKey: fixedKey }).requestFile,
      'utf8',
    )
  }
  const cases: [string, (text: string) => string, RegExp][] = [
    ['truncated', (t) => t.slice(0, t.length / 2), /not a JSON file/],
    ['not UTF-8', (t) => `${t.slice(0, 10)}\xff`, /not a JSON file/],
    [
      'another format',
      (t) => t.replace('fedforge-request', 'fedforge-approval'),
      /not a fedforge-request file/,
    ],
    ['a newer version', (t) => t.replace('"format_version": 1', '"format_version": 2'), /format_version 2/],
    ['an unknown type', (t) => t.replace('"type": "client"', '"type": "relay"'), /"relay" is not/],
    ['a bad key hash', (t) => t.replace(/"key_sha256": "[0-9a-f]+"/, '"key_sha256": "abc"'), /key_sha256/],
    ['a bad CSR', (t) => t.replace('BEGIN CERTIFICATE REQUEST', 'BEGIN CERTIFICATE'), /"csr"/],
    ['a bad name', (t) => t.replace('"site-9"', '"site 9"'), /participant fields/],
  ]
  for (const [label, change, message] of cases) {
    it(`refuses ${label} with exit 2`, () => {
      const bytes = Buffer.from(change(good()), 'latin1')
      expect(() => parseRequest(bytes, 'x.request.json')).toThrow(
        expect.objectContaining({ exitCode: 2, message: expect.stringMatching(message) }),
      )
    })
  }
})
