import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { BinResult } from '../helpers/run-bin.js'
import { filesUnder } from '../provision/distributed/helpers.js'
import { bin, ok, requestAndApprove, useMachines } from './distributed-helpers.js'

const machines = useMachines()

function refused(r: BinResult, message: RegExp): void {
  expect(r.code, r.stderr).toBe(2)
  expect(r.stderr).toMatch(/^error: /)
  expect(r.stderr).toMatch(message)
  expect(r.stderr).toMatch(/\nHint: /)
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /)
}

/** A snapshot of every file (bytes) under a folder, to show that a refused command wrote nothing. */
const snapshot = (dir: string) => [...filesUnder(dir)].map(([p, b]) => `${p} ${b.toString('base64')}`).sort()

describe('distributed flow: bad input through the built bin (exit 2, nothing written)', () => {
  it('approve refuses a tampered, truncated or foreign request', () => {
    const m = machines()
    ok(bin(['request', '--name', 'site-9', '--org', 'hospital_c', '-o', 'req'], m.site))
    const text = readFileSync(join(m.site, 'req', 'site-9.request.json'), 'utf8')
    const inbox = (name: string, content: string) => {
      writeFileSync(join(m.admin, name), content)
      return bin(['approve', name, '-p', 'project.yml', '-w', 'ws', '--yes'], m.admin)
    }
    const before = snapshot(m.admin)
    refused(
      inbox('tampered.json', text.replace('"hospital_c"', '"hospital_d"')),
      /CSR subject O is "hospital_c", but the request says "hospital_d"/,
    )
    refused(inbox('truncated.json', text.slice(0, text.length - 100)), /not a JSON file/)
    refused(inbox('foreign.pem', m.rootPem), /not a JSON file/)
    refused(
      inbox('other-format.json', text.replace('fedforge-request', 'nvflare-request')),
      /not a fedforge-request file/,
    )
    refused(
      inbox('newer.json', text.replace('"format_version": 1', '"format_version": 9')),
      /format_version 9 is not supported/,
    )
    const inputs = new Set([
      'tampered.json',
      'truncated.json',
      'foreign.pem',
      'other-format.json',
      'newer.json',
    ])
    expect(snapshot(m.admin).filter((l) => !inputs.has(l.split(' ')[0]!))).toEqual(before)
  })

  it('package refuses a tampered, truncated or foreign approval, a wrong site key and a wrong root fingerprint', () => {
    const m = machines()
    const { rootFingerprint } = requestAndApprove(m, ['--name', 'site-9', '--org', 'hospital_c'])
    requestAndApprove(m, ['--name', 'site-8', '--org', 'hospital_c'], 'req8')
    const approval = readFileSync(join(m.site, 'site-9.approval.json'), 'utf8')
    const pkg = (file: string, extra: { dir?: string; fp?: string } = {}) =>
      bin(
        [
          'package',
          file,
          '--request-dir',
          extra.dir ?? 'req',
          '--root-fingerprint',
          extra.fp ?? rootFingerprint,
          '-o',
          'kits/site-9',
        ],
        m.site,
      )
    const doc = JSON.parse(approval) as { files: { path: string; data: string }[] }
    doc.files[0]!.data = Buffer.from('changed').toString('base64')
    writeFileSync(join(m.site, 'tampered.json'), JSON.stringify(doc))
    writeFileSync(join(m.site, 'truncated.json'), approval.slice(0, approval.length / 2))
    const before = snapshot(m.site)

    refused(pkg('tampered.json'), /signature does not verify with its root CA/)
    refused(pkg('truncated.json'), /not a JSON file/)
    refused(pkg('site-8.approval.json'), /is for "site-8", but \S*\/req holds no request of "site-8"/)
    refused(pkg('site-8.approval.json', { dir: 'req8', fp: 'SHA256:00' }), /not a SHA-256 fingerprint/)
    refused(
      pkg('site-9.approval.json', { fp: `SHA256:${'AB:'.repeat(31)}AB` }),
      /root CA in the approval has fingerprint SHA256:.* not the SHA256:AB:AB/,
    )
    refused(pkg('site-9.approval.json', { fp: m.rootPem.slice(30, 40) }), /not a SHA-256 fingerprint/)
    expect(snapshot(m.site)).toEqual(before)

    cpSync(join(m.site, 'req8', 'site-8.key'), join(m.site, 'req', 'site-9.key'))
    refused(pkg('site-9.approval.json'), /req\/site-9.key is not the key this request was made with/)
    expect(readdirSync(m.site).sort()).toEqual([
      'req',
      'req8',
      'site-8.approval.json',
      'site-9.approval.json',
      'tampered.json',
      'truncated.json',
    ])
  })
})
