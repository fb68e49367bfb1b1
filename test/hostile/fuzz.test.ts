import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isProvisionError } from '../../src/errors.js'
import { loadProject } from '../../src/provision/project/load.js'
import { REPO } from './helpers.js'

/**
 * Issue 7, fuzzing: seeded mutations of a valid project file go into loadProject(). It either returns a
 * Project or throws a ProvisionError whose every problem line starts with a key path and line:col.
 */

const VALID = readFileSync(join(REPO, 'project.yml.example'), 'utf8')
const STEP = String.raw`(?:[A-Za-z_][\w-]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])`
/** `(top level)` or `participants[2].name` or `studies["My study"]`, then ` (project.yml:L:C): ` and the text. */
const PROBLEM_LINE = new RegExp(
  String.raw`^(\(top level\)|${STEP}(?:\.${STEP}|\[\d+\]|\["(?:[^"\\]|\\.)*"\])*) \(project\.yml:\d+:\d+\): \S`,
)

const NASTY = [
  '',
  '..',
  '/',
  '\\',
  '\0',
  '\uFFFD',
  '&a',
  '*a',
  '!!binary',
  '!!python/object',
  '{',
  '[',
  ']',
  '}',
  ':',
  '- ',
  '? ',
  '|',
  '>',
  '#',
  '"',
  "'",
  '%YAML 1.1',
  '---',
  '...',
  '\t',
  '~',
  'null',
  'true',
  '0x1F',
  '1e400',
  '-0',
  '65536',
  'CON',
  '<<: *a',
  'x'.repeat(300),
]

/** One edit of the text: replace, insert, delete a slice, duplicate or drop a line, swap two lines. */
const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('replace' as const),
    at: fc.nat(),
    len: fc.nat(20),
    with: fc.constantFrom(...NASTY),
  }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    with: fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 12 })),
  }),
  fc.record({
    kind: fc.constant('line' as const),
    at: fc.nat(),
    op: fc.constantFrom('drop', 'dup', 'swap', 'indent', 'dedent'),
  }),
)
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never

function apply(text: string, m: Mutation): string {
  if (m.kind === 'replace') {
    const at = m.at % (text.length + 1)
    return text.slice(0, at) + m.with + text.slice(at + m.len)
  }
  if (m.kind === 'insert') {
    const at = m.at % (text.length + 1)
    return text.slice(0, at) + m.with + text.slice(at)
  }
  const lines = text.split('\n')
  const i = m.at % lines.length
  const line = lines[i]!
  if (m.op === 'drop') lines.splice(i, 1)
  else if (m.op === 'dup') lines.splice(i, 0, line)
  else if (m.op === 'indent') lines[i] = `  ${line}`
  else if (m.op === 'dedent') lines[i] = line.replace(/^ {1,2}/, '')
  else {
    const j = (i + 1) % lines.length
    lines[i] = lines[j]!
    lines[j] = line
  }
  return lines.join('\n')
}

describe('fuzzing loadProject', () => {
  it('never throws anything but a ProvisionError whose every problem carries a key path and line:col', () => {
    let accepted = 0
    let refused = 0
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), (mutations) => {
        const text = mutations.reduce(apply, VALID)
        try {
          loadProject(text)
          accepted++
        } catch (error) {
          if (!isProvisionError(error)) throw error
          refused++
          expect(error.exitCode).toBe(2)
          expect(error.problems.length).toBeGreaterThan(0)
          for (const line of error.problems) expect(line).toMatch(PROBLEM_LINE)
        }
      }),
      { seed: 20_260_701, numRuns: 1500 },
    )
    expect(accepted + refused).toBe(1500)
    expect(refused).toBeGreaterThan(300)
  })
})
