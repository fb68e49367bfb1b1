import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { registerVerify } from '../../../src/cli/commands/verify.js'
import { takeResult } from '../../../src/cli/run.js'
import { buildSignedKits, makeTempDir } from '../../helpers/pki-fixtures.js'

async function runCli(args: string[]): Promise<{ code: number; stdout: string }> {
  const lines: string[] = []
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    lines.push(String(s))
    return true
  })
  try {
    const program = new Command('provision').exitOverride()
    registerVerify(program)
    await program.parseAsync(args, { from: 'user' })
    return { code: Number(takeResult()), stdout: lines.join('') }
  } finally {
    spy.mockRestore()
  }
}

describe('provision verify', () => {
  let tmp: ReturnType<typeof makeTempDir>
  let kits: Awaited<ReturnType<typeof buildSignedKits>>
  beforeEach(async () => {
    tmp = makeTempDir()
    kits = await buildSignedKits(tmp.dir, new Date())
  })
  afterEach(() => tmp.cleanup())

  it('prints one line per check and the root fingerprint, exit 0', async () => {
    const root = join(kits.kit('server1'), 'startup/rootCA.pem')
    const { code, stdout } = await runCli(['verify', kits.kit('server1'), kits.kit('site-1'), '--root', root])
    expect(code).toBe(0)
    expect(stdout).toMatch(/^server1 \(server\)\n {2}ok {4}layout: /)
    expect(stdout).toMatch(/site-1 \(client\)\n/)
    expect(stdout).toMatch(/root CA SHA-256: ([0-9A-F]{2}:){31}[0-9A-F]{2}/)
  })

  it('exits 1 naming the tampered file, and writes JSON with --json', async () => {
    appendFileSync(join(kits.kit('site-2'), 'startup/start.sh'), 'echo tampered\n')
    const { code, stdout } = await runCli(['verify', kits.kit('site-2')])
    expect(code).toBe(1)
    expect(stdout).toContain('FAIL  signatures: startup/start.sh does not match its signature')
    const json = await runCli(['verify', '--json', kits.kit('site-2')])
    const reports = JSON.parse(json.stdout) as { ok: boolean; checks: { name: string; status: string }[] }[]
    expect(reports[0]?.ok).toBe(false)
    expect(json.code).toBe(1)
  })
})
