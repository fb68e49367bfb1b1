import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BinResult, ensureBuilt, pool, runBin, STACK_LINE, snapshot } from '../../hostile/helpers.js'

/** A project.yml that the built bin must refuse with exit 2 and a problem line at a key path. */
export interface RefusalCase {
  name: string
  file: string | Buffer
  /** `key.path (project.yml:line:col)` that must appear on a problem line. */
  at: string
  says: string
  /** Files to make in the case's folder before the run. */
  setup?: (dir: string) => void
}

export interface RefusalTable {
  /** The bin's arguments, run in each case's folder (which holds project.yml). */
  args: string[]
  /** Cases run at once. */
  concurrency: number
  /** What `ws/` in the case's folder must hold afterwards (snapshot lines); default: nothing. */
  workspaceAfter?: (i: number) => string[]
}

/**
 * Runs every case through the built bin (each in its own folder, a few at a time), then one test per case:
 * exit 2, a problem line naming `at` and saying `says`, every problem line with its line:col, no stack and no
 * internal error, nothing on stdout, and the workspace as `workspaceAfter` says. `more` adds tests that get
 * the table's temp folder.
 */
export function describeRefusals(
  title: string,
  cases: RefusalCase[],
  table: RefusalTable,
  more: (root: string) => void = () => {},
): void {
  describe(title, () => {
    const root = mkdtempSync(join(tmpdir(), 'fedforge-refusals-'))
    const results: BinResult[] = []

    beforeAll(async () => {
      await ensureBuilt()
      const tasks = cases.map((c, i) => async () => {
        const dir = join(root, String(i))
        mkdirSync(dir)
        writeFileSync(join(dir, 'project.yml'), c.file)
        c.setup?.(dir)
        return runBin(table.args, dir, 60_000)
      })
      results.push(...(await pool(tasks, table.concurrency)))
    }, 300_000)
    afterAll(() => rmSync(root, { recursive: true, force: true }))

    it.each(cases.map((c, i) => [c.name, i] as const))('refuses %s', (_name, i) => {
      const c = cases[i]!
      const r = results[i]!
      expect(r.code, r.stderr).toBe(2)
      const problems = r.stderr.split('\n').filter((l) => l.startsWith('  - '))
      const line = problems.find((l) => l.includes(c.at))
      expect(line, `no problem line with "${c.at}" in:\n${r.stderr}`).toBeDefined()
      expect(line).toContain(c.says)
      for (const l of problems) expect(l).toMatch(/^ {2}- \S.* \(project\.yml:\d+:\d+\): /)
      expect(r.stderr).not.toMatch(STACK_LINE)
      expect(r.stderr).not.toContain('internal error')
      expect(r.stdout).toBe('')
      const after = table.workspaceAfter?.(i) ?? []
      expect(snapshot(join(root, String(i), 'ws'))).toEqual(after)
      if (after.length === 0) expect(readdirSync(join(root, String(i))).includes('ws')).toBe(false)
    })

    more(root)
  })
}
