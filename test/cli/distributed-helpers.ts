import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { type BinResult, runBin } from '../helpers/run-bin.js'
import { heProjectYaml } from '../provision/distributed/helpers.js'

/** The admin machine and a site machine of a distributed run through the built bin. */
export interface Machines {
  admin: string
  site: string
  projectDir: string
  rootPem: string
  rootFingerprint?: string
}

export function bin(args: string[], cwd: string): BinResult {
  return runBin(args, cwd, 300_000)
}

export function ok(r: BinResult): BinResult {
  expect(r.code, `${r.stderr}\n${r.stdout}`).toBe(0)
  return r
}

/** Central provisioning of the HE project at the admin (server1, site-1, site-2, admin@nvidia.com). */
export function provisionCentrally(admin: string): { projectDir: string; rootPem: string } {
  writeFileSync(join(admin, 'project.yml'), heProjectYaml())
  ok(bin(['-p', 'project.yml', '-w', 'ws'], admin))
  const projectDir = join(admin, 'ws', 'he_project')
  return {
    projectDir,
    rootPem: readFileSync(join(projectDir, 'prod_00', 'server1', 'startup', 'rootCA.pem'), 'utf8'),
  }
}

/** request at the site → the file travels to the admin → approve → the approval travels back. */
export function requestAndApprove(
  m: Machines,
  args: string[],
  requestDir = 'req',
): { requestSha256: string; rootFingerprint: string; approval: string } {
  const name = args[args.indexOf('--name') + 1]!
  const made = JSON.parse(ok(bin(['request', ...args, '-o', requestDir, '--json'], m.site)).stdout) as {
    requestFile: string
    requestSha256: string
  }
  mkdirSync(join(m.admin, 'inbox'), { recursive: true })
  cpSync(made.requestFile, join(m.admin, 'inbox', `${name}.request.json`))
  const approved = JSON.parse(
    ok(
      bin(
        ['approve', `inbox/${name}.request.json`, '-p', 'project.yml', '-w', 'ws', '--yes', '--json'],
        m.admin,
      ),
    ).stdout,
  ) as {
    approvalFile: string
    requestSha256: string
    rootFingerprint: string
  }
  expect(approved.requestSha256).toBe(made.requestSha256)
  cpSync(approved.approvalFile, join(m.site, `${name}.approval.json`))
  return {
    requestSha256: made.requestSha256,
    rootFingerprint: approved.rootFingerprint,
    approval: `${name}.approval.json`,
  }
}

/** Byte windows of `secret` that must not occur in a file: every 64-char PEM line and DER slices. */
export function secretNeedles(secret: Buffer, windowBytes = 32, every = 96): Buffer[] {
  const needles: Buffer[] = []
  for (let at = 0; at + windowBytes <= secret.length; at += every)
    needles.push(secret.subarray(at, at + windowBytes))
  return needles
}

/** The file's bytes and every base64 string inside it decoded (an approval keeps its files as base64). */
export function searchable(bytes: Buffer): Buffer[] {
  const out = [bytes]
  for (const m of bytes.toString('latin1').matchAll(/"([A-Za-z0-9+/]{40,}={0,2})"/g))
    out.push(Buffer.from(m[1]!, 'base64'))
  return out
}

/**
 * Central provisioning once per test file (beforeAll); `machines()` then gives each test its own copy of
 * the admin machine and an empty site machine.
 */
export function useMachines(): () => Machines {
  let base = ''
  const made: string[] = []
  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'fedforge-dist-e2e-'))
    provisionCentrally(base)
  })
  afterAll(() => {
    for (const d of [base, ...made]) rmSync(d, { recursive: true, force: true })
  })
  return () => {
    const root = mkdtempSync(join(tmpdir(), 'fedforge-dist-'))
    made.push(root)
    const admin = join(root, 'admin')
    cpSync(base, admin, { recursive: true })
    const site = join(root, 'site')
    mkdirSync(site)
    const projectDir = join(admin, 'ws', 'he_project')
    return {
      admin,
      site,
      projectDir,
      rootPem: readFileSync(join(projectDir, 'prod_00', 'server1', 'startup', 'rootCA.pem'), 'utf8'),
    }
  }
}
