import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { ExitCode, type ExitCodeValue } from '../../src/errors.js'
import { smallProjectYaml } from '../helpers/projects.js'
import { BIN, type BinResult, collect, ensureBuilt, STACK_LINE, useTempDir } from './helpers.js'

/**
 * Issue 14, acceptance: every hostile input file runs through the built bin under limits, and must end
 * with a clear error, not be killed. Each run gets RLIMIT_DATA (prlimit --data; an address-space limit
 * cannot be used, since WebAssembly reserves ~10 GB of address space up front) as a backstop for the
 * machine, its peak RSS is measured from inside (process.resourceUsage at exit) and must stay below
 * 1 GiB, and it is killed after a generous bound so that a hang fails instead of blocking the suite.
 *
 * To add an input: put the file in test/fixtures/hostile/ and a row in CASES.
 */

const FIXTURES = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url))
const REPORT_RSS = pathToFileURL(fileURLToPath(new URL('./report-max-rss.mjs', import.meta.url))).href
const MAX_RSS_KIB = 1024 * 1024
/** RLIMIT_DATA: the ceiling a regression hits instead of the machine's memory. */
const DATA_LIMIT = 2 * 1024 ** 3
/** Only a hang guard (killed runs fail); the inputs here end in about a second. */
const KILL_AFTER_MS = 120_000

interface HostileCase {
  /** A file in test/fixtures/hostile/. */
  fixture: string
  /** What the user runs on it, from `dir` (a fresh temp dir). */
  args: (fixture: string, dir: string) => string[]
  /** What the command needs besides the file (run with the same limits), e.g. a workspace to tamper with. */
  setup?: (fixture: string, dir: string) => Promise<void>
  exit: ExitCodeValue
  stderr: RegExp
}

const HE_PROJECT = smallProjectYaml('limits', {
  builders: ['workspace', 'static', 'cert', 'he', 'signature'],
})
const STATE_HE = (dir: string) => join(dir, 'ws', 'limits', 'state', 'he_context.tenseal')

/** Provisions a workspace with HE, then puts the fixture in place of its kept HE key. */
async function tamperedState(fixture: string, dir: string): Promise<void> {
  writeFileSync(join(dir, 'project.yml'), HE_PROJECT)
  const first = await runLimited(['-p', 'project.yml', '-w', 'ws'], dir)
  expect(first.code, first.stderr).toBe(0)
  writeFileSync(STATE_HE(dir), readFileSync(fixture))
}
const reprovision = () => ['-p', 'project.yml', '-w', 'ws']

const CASES: HostileCase[] = [
  {
    fixture: 'he-params-zstd-bomb.tenseal', // 190 KB of zstd blocks: 2 GiB once inflated
    args: (f) => ['inspect', f],
    exit: ExitCode.badInput,
    stderr: /encryption parameters blob .* can inflate to 2,147,483,648 bytes.*refused before inflating/,
  },
  {
    fixture: 'he-params-zstd-rle-bomb.tenseal', // 128 KB of RLE blocks: 4 GiB
    args: (f) => ['inspect', f],
    exit: ExitCode.badInput,
    stderr: /can inflate to 4,294,967,296 bytes.*refused before inflating/,
  },
  {
    fixture: 'he-params-zlib-bomb.tenseal', // 64 MiB of zeros, zlib
    args: (f) => ['inspect', f],
    exit: ExitCode.badInput,
    stderr: /encryption parameters blob .* inflates to more than 1,577 bytes/,
  },
  {
    fixture: 'he-params-zstd-bomb.tenseal',
    setup: tamperedState,
    args: reprovision,
    exit: ExitCode.conflict,
    stderr: /the HE key in .*he_context\.tenseal cannot be read: the encryption parameters blob .*refused/,
  },
  {
    fixture: 'he-secret-key-zstd-bomb.tenseal', // real parameters, a 2 GiB secret key
    setup: tamperedState,
    args: reprovision,
    exit: ExitCode.conflict,
    stderr: /cannot be read: the secret key blob .* at most 197,632 for N=8192 with 3 primes: refused/,
  },
  {
    fixture: 'he-params-seal-refuses.tenseal', // N=4096 [60, 60, 60]: 180 bits where 128-bit security allows 109
    setup: tamperedState,
    args: reprovision,
    exit: ExitCode.conflict,
    stderr:
      /cannot be read: SEAL refuses this context's encryption parameters \(CKKS N=4096 \[60, 60, 60\]\)/,
  },
  {
    fixture: 'he-params-seal-refuses.yml', // N=1024 [10, 8, 8]: no such primes exist
    args: (f) => ['-p', f, '-w', 'ws'],
    exit: ExitCode.badInput,
    stderr: /N=1024|poly_modulus_degree|coeff_mod_bit_sizes/,
  },
]

interface LimitedResult extends BinResult {
  /** Peak RSS in KiB, or undefined when the process could not report it (killed, crashed). */
  maxRssKib: number | undefined
}

async function runLimited(args: string[], cwd: string): Promise<LimitedResult> {
  const report = join(cwd, `.max-rss-${Math.random().toString(36).slice(2)}`)
  const node = [process.execPath, '--import', REPORT_RSS, BIN, ...args]
  const [command, ...rest] = existsSync('/usr/bin/prlimit')
    ? ['/usr/bin/prlimit', `--data=${DATA_LIMIT}`, ...node]
    : node
  const child = spawn(command!, rest, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, FEDFORGE_MAX_RSS_FILE: report },
  })
  const result = await collect(child, KILL_AFTER_MS)
  const maxRssKib = existsSync(report) ? Number(readFileSync(report, 'utf8')) : undefined
  return { ...result, maxRssKib }
}

describe('hostile input files, each under memory and time limits', () => {
  const temp = useTempDir()
  beforeAll(ensureBuilt, 300_000)

  it('every fixture in test/fixtures/hostile/ has a row', () => {
    const listed = new Set(CASES.map((c) => c.fixture))
    expect(readdirSync(FIXTURES).filter((name) => !listed.has(name))).toEqual([])
  })

  for (const c of CASES) {
    it(`${c.args('FILE', 'DIR').join(' ')}${c.setup ? ` (after ${c.setup.name})` : ''} on ${c.fixture}: exit ${c.exit}, bounded`, async () => {
      const dir = temp()
      const fixture = join(FIXTURES, c.fixture)
      await c.setup?.(fixture, dir)
      const r = await runLimited(c.args(fixture, dir), dir)
      expect(r.signal, `killed: ${r.stderr}`).toBeNull()
      expect(r.code, r.stderr).toBe(c.exit)
      expect(r.stderr).toMatch(c.stderr)
      expect(r.stderr).not.toMatch(/internal error/)
      expect(r.stderr).not.toMatch(STACK_LINE)
      expect(r.maxRssKib, 'the run reported its peak RSS').toBeDefined()
      expect(r.maxRssKib!, `peak RSS ${r.maxRssKib} KiB`).toBeLessThan(MAX_RSS_KIB)
    }, 300_000)
  }
})
