import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { JOB_ENV_FLAGS } from '../../src/cli/commands/job-flags.js'
import { addFlags, flagsGiven } from '../../src/cli/flag-options.js'
import { FEDAVG_HE_FLAGS } from '../../src/recipe/fedavg-he-flags.js'
import { fedAvgHeOptionsSchema } from '../../src/recipe/options.js'
import { runBin } from '../helpers/run-bin.js'
import { useTempDir } from '../helpers/temp.js'

/** The recipe's flags as `job fedavg-he` reads them from `args` (commander parses, the table reads). */
function read(args: string[]) {
  const cmd = addFlags(new Command('fedavg-he').exitOverride(), FEDAVG_HE_FLAGS)
  cmd.parse(['--train-script', 'client.py', ...args], { from: 'user' })
  return flagsGiven(FEDAVG_HE_FLAGS, cmd.opts())
}

describe('the flag table of FedAvgRecipeWithHE', () => {
  it('has a flag for every option of the schema but cwd (the CLI’s is the working folder)', () => {
    const keys = new Set<string>(FEDAVG_HE_FLAGS.flags.map((f) => f.key))
    const missing = Object.keys(fedAvgHeOptionsSchema.shape).filter((k) => k !== 'cwd' && !keys.has(k))
    expect(missing).toEqual([])
    const names = [...FEDAVG_HE_FLAGS.flags, ...JOB_ENV_FLAGS.flags].map((f) => f.name)
    expect(new Set(names).size).toBe(names.length)
  })

  it('reads each flag into the value the library takes', () => {
    const { values, problems, flagOf } = read([
      ...['--num-rounds', '3', '--min-clients', '2', '--aggregator-data-kind', 'weight_diff'],
      ...[
        '--server-expected-format',
        'PyTorch',
        '--encrypt-layers',
        'fc1, fc2',
        '--nvflare-version',
        '2.8.1',
      ],
      ...['--model', 'model.Net', '--model-args', '{"num_classes": 10}', '--cuda-empty-cache'],
      ...['--custom', 'a.py', '--custom', 'lib', '--train-args', ''],
      ...['--aggregator-he-compatible', '--aggregator', 'my.HEAgg', '--aggregator-args', '{"a": [1]}'],
    ])
    expect(problems).toEqual([])
    expect(values).toEqual({
      trainScript: 'client.py',
      numRounds: 3,
      minClients: 2,
      aggregatorDataKind: 'WEIGHT_DIFF',
      serverExpectedFormat: 'pytorch',
      encryptLayers: ['fc1', 'fc2'],
      nvflareVersion: '2.8',
      model: { classPath: 'model.Net', args: { num_classes: 10 } },
      cudaEmptyCache: true,
      custom: ['a.py', 'lib'],
      trainArgs: '',
      aggregator: { path: 'my.HEAgg', heCompatible: true, args: { a: [1] } },
    })
    expect(flagOf).toMatchObject({ numRounds: '--num-rounds', model: '--model', custom: '--custom' })
  })

  it.each([
    [['--num-rounds', 'abc'], '--num-rounds: must be a whole number ≥ 1 (got "abc")'],
    [['--num-rounds', '0x10'], '--num-rounds: must be a whole number ≥ 1 (got "0x10")'],
    [['--num-rounds', '1.5'], '--num-rounds: must be a whole number ≥ 1 (got "1.5")'],
    [['--min-clients', '-1'], '--min-clients: must be a whole number ≥ 1 (got "-1")'],
    [['--client-memory-gc-rounds', ''], '--client-memory-gc-rounds: must be a whole number ≥ 0 (got "")'],
    [['--params-transfer-type', 'HALF'], '--params-transfer-type: must be one of FULL, DIFF (got "HALF")'],
    [['--encrypt-layers', 'a,,b'], '--encrypt-layers: item 2: a layer name cannot be empty (got "a,,b")'],
    [['--encrypt-regex', ''], '--encrypt-regex: an empty regular expression encrypts nothing (got "")'],
    [['--model', 'm.N', '--model-args', '[1]'], '--model-args: must be a JSON object (got "[1]")'],
    [['--model-args', '{}'], '--model-args goes with --model'],
    [['--custom', ''], '--custom: item 1: must be a non-empty path (got [""])'],
  ])('%j is refused: %s', (args, problem) => {
    expect(read(args).problems).toEqual([problem])
  })
})

describe('the built `provision job fedavg-he` checks its flags as strictly as the library', () => {
  const tempDir = useTempDir()
  /** Flags are read before the kits: --kits names a folder that does not exist. */
  const job = (...args: string[]) =>
    runBin(['job', 'fedavg-he', '--kits', 'no-kits', '--train-script', 'client.py', ...args], tempDir())

  it.each([
    [['--num-rounds', 'abc'], 'error: --num-rounds: must be a whole number ≥ 1 (got "abc")'],
    [['--num-rounds', '1.5'], 'error: --num-rounds: must be a whole number ≥ 1 (got "1.5")'],
    [['--min-clients', '-1'], 'error: --min-clients: must be a whole number ≥ 1 (got "-1")'],
    [
      ['--model', 'm.N', '--model-args', '{bad'],
      /^error: --model-args: must be a JSON object; this is not JSON \(.+\) \(got "\{bad"\)$/m,
    ],
  ])('%j: exit 2, naming the flag and what it takes', (args, message) => {
    const r = job(...args)
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/no-kits|internal error|numRounds|minClients/)
  })

  it('reports every bad flag at once', () => {
    const r = job(
      ...['--num-rounds', 'abc', '--aggregator-data-kind', 'METRICS', '--nvflare-version', '2.6'],
      ...['--encrypt-layers', 'a', '--encrypt-regex', 'b', '--name', '../x'],
    )
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n').filter((line) => line.includes('--'))).toEqual([
      'error: --name: must start with a letter or digit and use only letters, digits, ".", "_" and "-" (got "../x")',
      '  - --num-rounds: must be a whole number ≥ 1 (got "abc")',
      '  - --nvflare-version: must be one of 2.7, 2.8, 2.9 (got "2.6")',
      '  - --aggregator-data-kind: must be one of WEIGHTS, WEIGHT_DIFF (got "METRICS")',
      '  - give --encrypt-layers or --encrypt-regex, not both',
      'Hint: see --help for each flag and the values it takes',
    ])
  })

  it('--help shows the schema’s defaults', () => {
    const help = runBin(['job', 'fedavg-he', '--help'], tempDir()).stdout.replace(/\s+/g, ' ')
    const defaults = fedAvgHeOptionsSchema.partial().parse({})
    expect(help).toContain(`--num-rounds <n> training rounds (default: ${defaults.numRounds})`)
    expect(help).toContain(`(default: ${JSON.stringify(defaults.command)})`)
    expect(help).toContain(`(default: ${defaults.aggregatorDataKind})`)
    expect(help).toContain('--min-clients <n> clients needed per round (default: the number of client kits)')
  })
})
