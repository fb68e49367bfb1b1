import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { pythonJsonDumps } from '../../../src/provision/pki/py-json.js'
import { parseCertState, serializeCertState } from '../../../src/provision/pki/state-store.js'

const FIXTURES = new URL('./fixtures/', import.meta.url)
const cert = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'
const key = '-----BEGIN RSA PRIVATE KEY-----\nBBBB\n-----END RSA PRIVATE KEY-----\n'

describe('pythonJsonDumps', () => {
  it('writes like Python json.dumps with default arguments', () => {
    expect(pythonJsonDumps({ a: 'b', c: { d: 'e' } })).toBe('{"a": "b", "c": {"d": "e"}}')
    expect(pythonJsonDumps({ 'é\n': 'ü😀\u007f' })).toBe('{"\\u00e9\\n": "\\u00fc\\ud83d\\ude00\\u007f"}')
  })

  it('reproduces a real NVFlare signature.json byte for byte', () => {
    const text = readFileSync(new URL('nvflare-signature.json', FIXTURES), 'utf8')
    expect(pythonJsonDumps(JSON.parse(text))).toBe(text)
  })
})

describe('cert state', () => {
  it('round-trips NVFlare shape and keeps unknown entries', () => {
    const text = pythonJsonDumps({
      root_cert: cert,
      root_pri_key: key,
      site: { cert, pri_key: key },
      note: 'x',
    })
    const state = parseCertState(text, 'cert.json')
    expect(state.participants.get('site')).toEqual({ certPem: cert, keyPem: key })
    expect(serializeCertState(state)).toBe(text)
  })

  it('reads the entry names of NVFlare state', () => {
    const sample = JSON.parse(
      readFileSync(new URL('nvflare-state-cert.json.redacted', FIXTURES), 'utf8'),
    ) as Record<string, unknown>
    sample['root_pri_key'] = key
    for (const v of Object.values(sample))
      if (typeof v === 'object' && v) (v as Record<string, string>)['pri_key'] = key
    const state = parseCertState(JSON.stringify(sample), 'cert.json')
    expect([...state.participants.keys()]).toEqual([
      'server1',
      'site-1',
      'site-2',
      'admin@nvidia.com',
      'org-admin@nvidia.com',
      'lead@nvidia.com',
    ])
  })

  it('names the file when it is corrupt', () => {
    expect(() => parseCertState('{"root_cert": ', '/w/state/cert.json')).toThrow(/\/w\/state\/cert\.json/)
    expect(() => parseCertState('{"root_cert": "x"}', '/w/state/cert.json')).toThrow(/root_cert/)
    expect(() =>
      parseCertState(pythonJsonDumps({ root_cert: cert, root_pri_key: key, s: { cert } }), 'f'),
    ).toThrow(/"s"/)
  })
})
