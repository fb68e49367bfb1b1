import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { shlexSplit } from '../../src/recipe/job/shlex.js'
import { runBin } from '../helpers/run-bin.js'
import { ensureBuilt } from '../hostile/helpers.js'
import { CLIENT_PY, readJson, tempDirs } from './helpers.js'
import { provisionHeKits } from './kits.js'

/** Python's own `shlex.split` results, made once by scripts/gen-shlex-table.py. */
interface Row {
  input: string
  tokens?: string[]
  error?: string
}
const TABLE = JSON.parse(
  readFileSync(fileURLToPath(new URL('../fixtures/shlex-table.json', import.meta.url)), 'utf8'),
) as { rows: Row[] }

function ours(input: string): Omit<Row, 'input'> {
  try {
    return { tokens: shlexSplit(input) }
  } catch (error) {
    // Our messages name Python's ValueError text in parentheses.
    return { error: /\((No [a-z ]+)\)/.exec((error as Error).message)?.[1] ?? (error as Error).message }
  }
}

describe('shlexSplit matches Python’s shlex.split', () => {
  it('on every row of the table Python made (about 3,000 strings, half of them errors)', () => {
    expect(TABLE.rows.length).toBeGreaterThan(2500)
    const errors = TABLE.rows.filter((r) => r.error !== undefined).length
    expect(errors).toBeGreaterThan(500)
    const wrong = TABLE.rows
      .map((row) => ({
        input: row.input,
        python: { tokens: row.tokens, error: row.error },
        ours: ours(row.input),
      }))
      .filter(
        ({ python, ours }) =>
          JSON.stringify(python) !== JSON.stringify({ tokens: ours.tokens, error: ours.error }),
      )
    expect(wrong.slice(0, 5)).toEqual([])
  })

  it('on the cases the review found', () => {
    expect(shlexSplit('"\\$HOME" "\\`id\\`"')).toEqual(['\\$HOME', '\\`id\\`'])
    expect(shlexSplit('"a\\"b" "c\\\\d"')).toEqual(['a"b', 'c\\d'])
    expect(shlexSplit('a\vb\fc\u00a0d e')).toEqual(['a\vb\fc\u00a0d', 'e'])
    expect(shlexSplit('\'\' ""')).toEqual(['', ''])
    expect(() => shlexSplit('a\\')).toThrow(/No escaped character/)
    expect(() => shlexSplit('"a\\')).toThrow(/No escaped character/)
    expect(() => shlexSplit('"a')).toThrow(/No closing quotation/)
  })
})

describe('provision job --launch-external-process, through the built bin', () => {
  const shared = tempDirs()
  let prodDir = ''
  beforeAll(async () => {
    await ensureBuilt()
    prodDir = (await provisionHeKits(shared.make(), 2)).prodDir
  }, 300_000)
  afterAll(() => shared.cleanup())

  const job = (out: string, trainArgs: string, version = '2.9') =>
    runBin(
      [
        'job',
        'fedavg-he',
        '--kits',
        prodDir,
        '--train-script',
        CLIENT_PY,
        '--launch-external-process',
        '--nvflare-version',
        version,
      ].concat(['--command', 'python3 -u', '--train-args', trainArgs, '-o', out]),
      out,
    )
  const trainArgs = '--tag "\\$x" --sep \v --name \'a b\''
  const argv = ['python3', '-u', 'custom/client.py', '--tag', '\\$x', '--sep', '\v', '--name', 'a b']

  it('writes the argv Python would make from the arguments (2.9: the executor gets the argv)', () => {
    const out = shared.make()
    const r = job(out, trainArgs)
    expect(r.code, r.stderr).toBe(0)
    const config = readJson(join(out, 'fedavg_he', 'app', 'config', 'config_fed_client.json')) as {
      executors: { executor: { args: { command?: string[] } } }[]
    }
    const command = config.executors.map((e) => e.executor.args.command).find(Boolean)
    expect(command).toEqual(argv)
  })

  it('2.7 and 2.8: the launcher gets the command line that shlex.split turns into that argv', () => {
    for (const version of ['2.7', '2.8']) {
      const out = shared.make()
      const r = job(out, trainArgs, version)
      expect(r.code, r.stderr).toBe(0)
      const config = readJson(join(out, 'fedavg_he', 'app', 'config', 'config_fed_client.json')) as {
        components: { id: string; args: { script?: string } }[]
      }
      const script = config.components.find((c) => c.id === 'launcher')?.args.script
      expect(script).toBe(`python3 -u custom/client.py ${trainArgs}`)
      expect(shlexSplit(script as string)).toEqual(argv)
    }
  })

  it('refuses a trailing backslash (Python raises) with exit 2 and says why', () => {
    const out = shared.make()
    const r = job(out, '--path C:\\')
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(/--train-args: a backslash at the end escapes nothing/)
    expect(r.stderr).not.toMatch(/internal error/)
  })
})
