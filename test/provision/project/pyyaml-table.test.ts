import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseYaml } from '../../../src/provision/project/parse-yaml.js'

/**
 * Tags and merge keys as PyYAML's safe_load (NVFlare's loader) reads them. safe-load.json holds PyYAML 6's
 * own results (written by gen-safe-load.py beside it): what it refuses we refuse, with a line:col; what it
 * accepts we accept, and where the value is plain JSON it is the same value.
 */
interface Row {
  yaml: string
  ok: boolean
  data?: unknown
  error?: string
}
const TABLE = JSON.parse(
  readFileSync(new URL('../../fixtures/pyyaml/safe-load.json', import.meta.url), 'utf8'),
) as { pyyaml: string; cases: Row[] }

describe('YAML tags and merge keys, against PyYAML safe_load', () => {
  it('has cases for both outcomes', () => {
    expect(TABLE.pyyaml).toMatch(/^6\./)
    expect(TABLE.cases.filter((c) => c.ok).length).toBeGreaterThan(10)
    expect(TABLE.cases.filter((c) => !c.ok).length).toBeGreaterThan(10)
  })

  it.each(TABLE.cases.map((c) => [JSON.stringify(c.yaml), c] as const))('%s', (_name, row) => {
    const parsed = parseYaml(row.yaml, 'project.yml')
    if (!row.ok) {
      expect(parsed.problems.length, `accepted what PyYAML refuses (${row.error})`).toBeGreaterThan(0)
      for (const p of parsed.problems)
        expect(parsed.source.problem(p.path, p.message, p.pos)).toMatch(/:\d+:\d+\): /)
      return
    }
    expect(parsed.problems.map((p) => p.message)).toEqual([])
    if (row.data !== undefined) expect(parsed.data).toEqual(row.data)
  })

  it('points at the tag itself, with the key path of the tagged value', () => {
    const text =
      'api_version: 3\nparticipants:\n  - name: s\n    host_names: !!python/object/apply:os.system [id]\n'
    const parsed = parseYaml(text, 'project.yml')
    expect(parsed.problems).toHaveLength(1)
    const p = parsed.problems[0]!
    expect(parsed.source.problem(p.path, p.message, p.pos)).toMatch(
      /^participants\[0\]\.host_names \(project\.yml:4:17\): the YAML tag !!python\/object\/apply:os\.system is not allowed/,
    )
  })
})
