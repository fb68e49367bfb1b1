import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isProvisionError, type ProvisionError } from '../../src/errors.js'
import { resolveInside } from '../../src/provision/fs/safe-path.js'
import { loadProject } from '../../src/provision/project/load.js'
import { makeContext } from '../helpers/project-fixtures.js'

/** Issue 7, paths: no name reaches outside the workspace; validation first, the file writer second. */

const HOSTILE = [
  '..',
  '.',
  '../x',
  'a/../../x',
  'a/b',
  'a\\b',
  '/etc/passwd',
  'C:\\Windows',
  'a\0b',
  'CON',
  'nul',
  'Com1',
  'LPT9.txt',
  'aux.log',
  '',
  ' ',
  'x'.repeat(300),
]

function project(name: string, type: 'client' | 'relay' | 'server' | 'admin'): string {
  const entry = (n: string, t: string, extra = '') =>
    `  - name: ${JSON.stringify(n)}\n    type: ${t}\n    org: o\n${extra}`
  const server = type === 'server' ? entry(name, 'server') : entry('server.example.com', 'server')
  const other =
    type === 'server'
      ? ''
      : type === 'admin'
        ? entry(name, 'admin', '    role: member\n')
        : entry(name, type, type === 'relay' ? '    listening_host: relay.example.com\n' : '')
  return `api_version: 3\nname: demo\nparticipants:\n${server}${other}`
}

function refusal(text: string): ProvisionError {
  try {
    loadProject(text)
  } catch (error) {
    if (isProvisionError(error)) return error
    throw error
  }
  throw new Error('accepted')
}

describe('hostile names are refused at validation', () => {
  for (const type of ['client', 'relay', 'server', 'admin'] as const) {
    it.each(HOSTILE.map((n) => [JSON.stringify(n).slice(0, 40), n]))(`${type} name %s`, (_shown, name) => {
      const error = refusal(project(name, type))
      const index = type === 'server' ? 0 : 1
      expect(error.exitCode).toBe(2)
      expect(error.problems.join('\n')).toContain(`participants[${index}].name (project.yml:`)
    })
  }

  it.each(HOSTILE.map((n) => [JSON.stringify(n).slice(0, 40), n]))('project name %s', (_shown, name) => {
    const error = refusal(
      `api_version: 3\nname: ${JSON.stringify(name)}\nparticipants:\n  - {name: s.example.com, type: server, org: o}\n`,
    )
    expect(error.problems.join('\n')).toContain('name (project.yml:2:1)')
  })

  it('admin e-mail names cannot carry a path separator', () => {
    for (const name of ['../a@example.com', 'a/b@example.com', 'a@example.com/..', 'a\\b@example.com']) {
      expect(refusal(project(name, 'admin')).problems.join('\n')).toContain('participants[1].name')
    }
  })
})

describe('resolveInside and ctx.writeFile refuse paths outside, as a second line', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })

  it.each([['..'], ['../x'], ['a/../../x'], ['/etc/passwd'], [''], ['.'], ['a\0b'], [`a${sep}..${sep}..`]])(
    'refuses %j',
    (part) => {
      expect(() => resolveInside('/tmp/root', part)).toThrow(/refusing/)
    },
  )

  it('accepts names inside, including dots that are not a parent reference', () => {
    expect(resolveInside('/tmp/root', 'a/b')).toBe('/tmp/root/a/b')
    expect(resolveInside('/tmp/root', '..a')).toBe('/tmp/root/..a')
    expect(resolveInside('/tmp/root', 'x@example.com', 'startup')).toBe('/tmp/root/x@example.com/startup')
  })

  it('the context writer refuses a path outside wip/ and writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fedforge-paths-'))
    dirs.push(dir)
    const project = loadProject(project0())
    const { ctx } = makeContext(project, dir, new Date())
    expect(() => ctx.writeFile('../escaped.txt', 'x')).toThrow(/refusing/)
    expect(() => ctx.writeFile('/tmp/escaped.txt', 'x')).toThrow(/refusing/)
    expect(() => ctx.kitDir('../../x')).toThrow(/refusing/)
    expect(() => ctx.stageState('../cert.json', 'x')).toThrow(/refusing/)
    expect(existsSync(join(dir, 'escaped.txt'))).toBe(false)
  })
})

function project0(): string {
  return 'api_version: 3\nname: demo\nparticipants:\n  - {name: s.example.com, type: server, org: o}\n'
}
