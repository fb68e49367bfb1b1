import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { kitScripts, shellQuote, startAllScript } from '../../../src/provision/builders/static-scripts.js'
import type { Participant } from '../../../src/provision/project/types.js'
import { useTempDir } from '../../helpers/temp.js'
import {
  clientParticipant,
  expectProcesses,
  type FakeKit,
  fakePythonEnv,
  killAllUnder,
  read,
  runScript,
  waitFor,
  waitForRun,
  writeKit,
} from './fake-kit.js'

// Issue 14 defect 2: a value from project.yml must never become code in a kit's scripts.
const HOSTILE = 'x$(touch P) ;touch Q #'
const NASTY = [
  HOSTILE,
  'it\'s `touch R` "$(touch S)"',
  'a\nb; touch T',
  '$HOME $((1+1)) \\ ! * ? [a] ~ & | < > ;',
  "''",
  '',
  'über-site.例',
]

/** Every file name under `dir`, recursively. */
function allNames(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).map((e) => e.name)
}

function serverParticipant(name: string, org: string): Participant {
  return {
    type: 'server',
    name,
    org,
    props: {},
    fedLearnPort: 8002,
    adminPort: 8003,
    defaultHost: 'localhost',
    hostNames: [],
    connectionSecurity: 'mtls',
  }
}

const participants = (name: string, org: string): Participant[] => [
  serverParticipant(name, org),
  { ...clientParticipant(name), org },
  { type: 'relay', name, org, props: {}, listeningHost: undefined, connectTo: undefined, parent: undefined },
  { type: 'admin', name, org, props: {}, role: 'project_admin' },
]

describe('shellQuote', () => {
  it('leaves safe words bare, as Python shlex.quote does', () => {
    expect(shellQuote('site-1')).toBe('site-1')
    expect(shellQuote('admin@nvidia.com')).toBe('admin@nvidia.com')
    expect(shellQuote('config')).toBe('config')
    expect(shellQuote('')).toBe("''")
    expect(shellQuote(HOSTILE)).toBe("'x$(touch P) ;touch Q #'")
    expect(shellQuote("it's")).toBe("'it'\\''s'")
    expect(() => shellQuote('a\0b')).toThrow(/NUL/)
  })

  it('gives back every string unchanged through bash', () => {
    const dir = realpathSync(tempDir())
    const samples = fc.sample(
      fc
        .string({ unit: 'binary', maxLength: 30 })
        .filter((s) => !s.includes('\0') && Buffer.from(s).toString() === s),
      { numRuns: 300, seed: 14 },
    )
    const values = [...NASTY, ...samples]
    writeFileSync(join(dir, 'echo.sh'), `printf '%s\\0' ${values.map(shellQuote).join(' ')}\n`)
    const r = spawnSync('bash', [join(dir, 'echo.sh')], { cwd: dir, encoding: 'utf8' })
    expect(r.status).toBe(0)
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(values)
    expect(allNames(dir)).toEqual(['echo.sh'])
  })

  const tempDir = useTempDir('fedforge-quote-')
})

describe('kit scripts with hostile names and config_folder', () => {
  const tempDir = useTempDir('fedforge-hostile-')
  let roots: string[] = []
  afterEach(() => {
    for (const root of roots) killAllUnder(root)
    roots = []
  })
  const root = () => {
    const dir = realpathSync(tempDir())
    roots.push(dir)
    return dir
  }

  it('pass bash -n for every kit kind, with plain and hostile values', () => {
    for (const value of ['site-1', ...NASTY.filter(Boolean)]) {
      for (const p of participants(value, value)) {
        for (const [file, text] of Object.entries(kitScripts(p, value))) {
          const r = spawnSync('bash', ['-n'], { input: text, encoding: 'utf8' })
          expect(r.stderr, `${p.type} ${file} for ${JSON.stringify(value)}`).toBe('')
          expect(r.status).toBe(0)
        }
      }
      const all = startAllScript(value, [value], [value, 'site-2'])
      expect(spawnSync('bash', ['-n'], { input: all, encoding: 'utf8' }).status).toBe(0)
    }
  })

  const shellcheck = spawnSync('shellcheck', ['--version']).status === 0
  it.skipIf(!shellcheck)('pass shellcheck (skipped where shellcheck is not installed)', () => {
    const dir = root()
    // SC2016 ("expressions don't expand in single quotes") is the point of the quoting: off for HOSTILE only
    for (const [value, options] of [
      ['site-1', []],
      [HOSTILE, ['--exclude=SC2016']],
    ] as const) {
      const files: string[] = []
      for (const p of participants(value, value)) {
        for (const [file, text] of Object.entries(kitScripts(p, value))) {
          const path = join(dir, `${p.type}-${files.length}-${file}`)
          writeFileSync(path, text)
          files.push(path)
        }
      }
      const path = join(dir, `${files.length}-start_all.sh`)
      writeFileSync(path, startAllScript(value, [value], [value]))
      files.push(path)
      const r = spawnSync('shellcheck', ['--shell=bash', ...options, ...files], { encoding: 'utf8' })
      expect(r.stdout).toBe('')
      expect(r.status).toBe(0)
    }
  })

  it('run with the hostile values as data: nothing they name is executed', async () => {
    const dir = root()
    const env = fakePythonEnv(dir, join(dir, 'state'), { FAKE_MODE: 'run', FLARE_START_WAIT: '1' })
    const participant = { ...clientParticipant(HOSTILE), org: NASTY[1]! }
    const kit = writeKit(dir, HOSTILE, participant, HOSTILE)
    const k: FakeKit = { root: dir, kit, startup: join(kit, 'startup'), state: join(dir, 'state'), env }
    const start = runScript(k, 'start.sh')
    expect(start.stderr).toBe('')
    expect(start.status).toBe(0)
    expect(start.stdout).toContain(`started the client ${HOSTILE}: process`)
    await waitForRun(k, 1)
    const argv = read(join(k.state, 'argv-1')).split('\n')
    expect(argv).toContain(`config_folder=${HOSTILE}`)
    expect(argv).toContain(`uid=${HOSTILE}`)
    expect(argv).toContain(`org=${NASTY[1]}`)
    expect(argv).toContain(kit) // -m WORKSPACE, one word
    const stop = runScript(k, 'stop_fl.sh', ['-y'])
    expect(stop.status).toBe(0)
    expect(stop.stdout).toContain(`stopped the client ${HOSTILE}`)
    await expectProcesses(dir, [])
    for (const name of ['P', 'Q', 'R', 'S', 'T']) expect(allNames(dir)).not.toContain(name)
  })

  it('start_all.sh starts kits with hostile names without running them', async () => {
    const dir = root()
    const state = join(dir, 'state')
    const env = fakePythonEnv(dir, state, { FAKE_MODE: 'run', FLARE_START_WAIT: '1' })
    const prod = join(dir, 'prod_00')
    mkdirSync(prod)
    const client = "it's `touch R`"
    writeKit(prod, HOSTILE, serverParticipant(HOSTILE, 'nvidia'))
    writeKit(prod, client, clientParticipant(client))
    writeFileSync(join(prod, 'start_all.sh'), startAllScript(HOSTILE, [], [client]))
    const r = spawnSync('bash', [join(prod, 'start_all.sh')], { cwd: dir, env, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.status).toBe(0)
    expect(r.stdout).toContain(`started the server ${HOSTILE}`)
    expect(r.stdout).toContain(`started the client ${client}`)
    await waitFor(
      () => read(join(state, 'runs')).split('\n').filter(Boolean).length === 2,
      'both kits to run',
    )
    for (const kit of [HOSTILE, client]) {
      const stop = spawnSync('bash', [join(prod, kit, 'startup', 'stop_fl.sh'), '-y'], {
        env,
        encoding: 'utf8',
      })
      expect(stop.status).toBe(0)
    }
    await expectProcesses(dir, [])
    for (const name of ['P', 'Q', 'R']) expect(allNames(dir)).not.toContain(name)
  })
})
