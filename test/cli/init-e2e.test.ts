import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadProjectFile } from '../../src/provision/project/load.js'
import { BIN, collect, ensureBuilt, useTempDir } from '../hostile/helpers.js'

/**
 * The built bin, as a user runs it. Interactive runs go through a pseudo-terminal made by util-linux
 * `script`; without it those tests are skipped (and say so).
 */
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0
const tempDir = useTempDir('fedforge-init-e2e-')

beforeAll(ensureBuilt, 300_000)

/** Runs the bin under a pseudo-terminal; `keys` is called every 200 ms with the child's stdin and output so far. */
function inTerminal(args: string, cwd: string, keys: (stdin: NodeJS.WritableStream, seen: string) => void) {
  const child: ChildProcess = spawn(
    'script',
    ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args}`, '/dev/null'],
    {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, TERM: 'xterm', COLUMNS: '200' },
    },
  )
  let seen = ''
  child.stdout?.on('data', (d: Buffer) => {
    seen += d.toString('utf8')
  })
  const timer = setInterval(() => {
    if (child.stdin?.writable) keys(child.stdin, seen)
  }, 200)
  return collect(child, 180_000).finally(() => clearInterval(timer))
}

describe.skipIf(!hasScript)('provision init in a terminal (script pseudo-terminal)', () => {
  it('Enter through every question writes project.yml and provisions it: prod_00 with every kit and HE', async () => {
    const dir = tempDir()
    // Enter is the default answer to every question, including "Provision the startup kits now?"
    const run = await inTerminal('init', dir, (stdin) => stdin.write('\r'))
    expect(run.code, run.stdout).toBe(0)
    const project = loadProjectFile(join(dir, 'project.yml'))
    expect(readFileSync(join(dir, 'project.yml'), 'utf8')).toMatch(/^# NVIDIA FLARE project file/)
    const prod = join(dir, 'workspace', project.name, 'prod_00')
    expect(readdirSync(prod).sort()).toEqual(['admin@example.com', 'localhost', 'site-1', 'site-2'])
    expect(existsSync(join(prod, 'localhost', 'startup', 'server_context.tenseal'))).toBe(true)
    for (const site of ['site-1', 'site-2']) {
      expect(existsSync(join(prod, site, 'startup', 'client_context.tenseal'))).toBe(true)
      expect(existsSync(join(prod, site, 'startup', 'client.crt'))).toBe(true)
    }
    expect(run.stdout).toContain('Provisioned example_project: 4 kits')
  })

  it('Ctrl-C at the first question: exit 130, nothing written', async () => {
    const dir = tempDir()
    // Ctrl-C once the first question is on the screen (inquirer reads it as a key, not a signal)
    const run = await inTerminal('init', dir, (stdin, seen) => {
      if (seen.includes('Project name')) stdin.write('\x03')
    })
    expect(run.code, run.stdout).toBe(130)
    expect(run.stdout).toContain('cancelled: nothing was written')
    expect(readdirSync(dir)).toEqual([])
  })

  it('bare `provision` on a terminal starts the wizard', async () => {
    const dir = tempDir()
    const run = await inTerminal('', dir, (stdin, seen) => {
      if (seen.includes('Project name')) stdin.write('\x03')
    })
    expect(run.code).toBe(130)
    expect(run.stdout).toContain('Project name')
    expect(readdirSync(dir)).toEqual([])
  })
})

describe('with standard input not a terminal', () => {
  /** stdin is a pipe left open: a command that waited for input would never end (collect kills it). */
  function noTerminal(args: string[], cwd: string) {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] })
    return collect(child, 60_000)
  }

  it('bare `provision` exits at once (exit 2) and says what to run instead', async () => {
    const dir = tempDir()
    const run = await noTerminal([], dir)
    expect(run.signal).toBeNull()
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('standard input is not a terminal')
    expect(run.stderr).toMatch(/provision -p project\.yml/)
    expect(run.stderr).toMatch(/provision init --yes/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('`provision init` without --yes exits at once (exit 2) pointing at --yes', async () => {
    const dir = tempDir()
    const run = await noTerminal(['init'], dir)
    expect([run.signal, run.code]).toEqual([null, 2])
    expect(run.stderr).toMatch(/--yes/)
    expect(readdirSync(dir)).toEqual([])
  })

  it('`provision init --yes` writes the file; a second run refuses to overwrite it', async () => {
    const dir = tempDir()
    const first = await noTerminal(['init', '--yes', '--name', 'fed', '--clients', '3', '--no-he'], dir)
    expect(first.code, first.stderr).toBe(0)
    const text = readFileSync(join(dir, 'project.yml'), 'utf8')
    expect(loadProjectFile(join(dir, 'project.yml')).clients).toHaveLength(3)
    const second = await noTerminal(['init', '--yes', '--name', 'other'], dir)
    expect(second.code).toBe(2)
    expect(second.stderr).toContain('project.yml already exists')
    expect(readFileSync(join(dir, 'project.yml'), 'utf8')).toBe(text)
    expect(readdirSync(dir)).toEqual(['project.yml'])
  })
})
