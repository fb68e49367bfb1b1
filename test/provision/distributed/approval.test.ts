import { createPrivateKey, createPublicKey } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  type Approval,
  parseApproval,
  serializeApproval,
  verifyApprovalSignature,
} from '../../../src/provision/distributed/approval.js'
import { testKeys } from '../../helpers/pki-fixtures.js'

const rootKey = createPrivateKey(testKeys(1)[0]!)
const rootPublic = createPublicKey(rootKey)
const PEM = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'

const approval: Approval = {
  project: 'he_project',
  nvflareVersion: '2.8',
  fields: { name: 'site-9', org: 'hospital_c', type: 'client' },
  requestSha256: 'ab'.repeat(32),
  approved: '2026-08-01T00:00:00.000Z',
  rootFingerprint: `SHA256:${'AB:'.repeat(31)}AB`,
  certPem: PEM,
  rootCaPem: PEM,
  files: [
    { path: 'startup/fed_client.json', mode: 0o644, data: Buffer.from('{}\n') },
    { path: 'startup/start.sh', mode: 0o755, data: Buffer.from('#!/bin/sh\n') },
    { path: 'readme.txt', mode: 0o644, data: Buffer.from('hello') },
  ],
  sealed: [{ path: 'startup/client_context.tenseal', mode: 0o600, envelope: Buffer.from('sealed bytes') }],
  signatures: { startup: { 'fed_client.json': 'c2ln' }, local: {} },
}

describe('approval file', () => {
  it('round-trips, and its signature covers every field', async () => {
    const text = await serializeApproval(approval, rootKey)
    const { approval: back, doc } = parseApproval(Buffer.from(text), 'a')
    expect({ ...back, fields: { ...back.fields, role: undefined } }).toEqual({
      ...approval,
      fields: { ...approval.fields, role: undefined },
    })
    expect(verifyApprovalSignature(doc, rootPublic)).toBe(true)
    const parsed = JSON.parse(text) as Record<string, unknown>
    for (const key of Object.keys(parsed).filter((k) => k !== 'approval_signature')) {
      const changed = JSON.parse(text) as Record<string, unknown>
      const value = changed[key]
      changed[key] =
        typeof value === 'string'
          ? `${value}x`
          : typeof value === 'number'
            ? value + 1
            : Array.isArray(value)
              ? []
              : {}
      expect(verifyApprovalSignature(changed, rootPublic), key).toBe(false)
    }
    const reordered = JSON.parse(text) as Record<string, unknown>
    expect(verifyApprovalSignature(Object.fromEntries(Object.entries(reordered).reverse()), rootPublic)).toBe(
      true,
    )
    expect(verifyApprovalSignature({ ...reordered, extra: 1 }, rootPublic)).toBe(false)
    expect(verifyApprovalSignature(reordered, createPublicKey(createPrivateKey(testKeys(2)[1]!)))).toBe(false)
  })

  const broken: [string, (doc: Record<string, unknown>) => void, RegExp][] = [
    [
      'a path out of the kit',
      (d) => ((d['files'] as { path: string }[])[0]!.path = '../evil'),
      /"path" is not in the expected form/,
    ],
    ['a nested path', (d) => ((d['files'] as { path: string }[])[0]!.path = 'startup/x/y'), /"path"/],
    [
      'a duplicate path',
      (d) => ((d['files'] as { path: string }[])[1]!.path = 'startup/fed_client.json'),
      /twice/,
    ],
    ['an odd mode', (d) => ((d['files'] as { mode: number }[])[0]!.mode = 0o777), /mode 777/],
    ['bad base64', (d) => ((d['files'] as { data: string }[])[0]!.data = 'not base64!'), /"data"/],
    [
      'an unknown signed folder',
      (d) => ((d['signatures'] as Record<string, unknown>)['transfer'] = {}),
      /unknown folder/,
    ],
    ['an unknown target', (d) => (d['nvflare_version'] = '3.0'), /nvflare_version/],
    ['no signature', (d) => delete d['approval_signature'], /approval_signature/],
  ]
  for (const [label, change, message] of broken) {
    it(`refuses ${label} (exit 2)`, async () => {
      const doc = JSON.parse(await serializeApproval(approval, rootKey)) as Record<string, unknown>
      change(doc)
      expect(() => parseApproval(Buffer.from(JSON.stringify(doc)), 'a')).toThrow(
        expect.objectContaining({ exitCode: 2, message: expect.stringMatching(message) }),
      )
    })
  }
})
