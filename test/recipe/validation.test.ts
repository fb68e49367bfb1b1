import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { isProvisionError, type ProvisionError } from '../../src/errors.js'
import { DEFAULT_NVFLARE_VERSION } from '../../src/provision/targets/version.js'
import { FedAvgRecipeWithHE } from '../../src/recipe/fedavg-he.js'
import type { FedAvgRecipeWithHEOptions } from '../../src/recipe/options.js'
import { CLIENT_PY, tempDirs } from './helpers.js'

const temp = tempDirs()
afterEach(() => temp.cleanup())

function base(): FedAvgRecipeWithHEOptions {
  return { minClients: 2, trainScript: CLIENT_PY }
}

/** The ProvisionError the constructor throws for these options. */
function problemsOf(options: unknown): ProvisionError {
  try {
    new FedAvgRecipeWithHE(options as FedAvgRecipeWithHEOptions)
  } catch (error) {
    if (isProvisionError(error)) return error
    throw error
  }
  throw new Error('expected the options to be refused')
}

describe('FedAvgRecipeWithHE validation', () => {
  it('applies NVFlare’s defaults', () => {
    const o = new FedAvgRecipeWithHE(base()).options
    expect(o).toMatchObject({
      name: 'fedavg_he',
      numRounds: 2,
      trainArgs: '',
      aggregatorDataKind: 'WEIGHTS',
      launchExternalProcess: false,
      command: 'python3 -u',
      serverExpectedFormat: 'numpy',
      paramsTransferType: 'FULL',
      serverMemoryGcRounds: 1,
      clientMemoryGcRounds: 0,
      cudaEmptyCache: false,
    })
    expect(o.model).toBeUndefined()
    expect(o.encryptLayers).toBeUndefined()
    expect(o.nvflareVersion).toBe(DEFAULT_NVFLARE_VERSION)
    expect(o.customFiles.map((f) => f.target)).toEqual(['client.py'])
  })

  it('refuses an NVFlare version it does not write for, and custom that is not a list of paths', () => {
    const e = problemsOf({ ...base(), nvflareVersion: '2.6', custom: 'model.py' })
    expect(e.problems).toEqual([
      'nvflareVersion: must be one of 2.7, 2.8, 2.9',
      'custom: must be a list of file or folder paths',
    ])
  })

  it('refuses an NVFlare aggregator class the target version lacks', () => {
    const path = 'nvflare.app_common.widgets.metrics_artifact_writer.MetricsArtifactWriter'
    const e = problemsOf({ ...base(), nvflareVersion: '2.8', aggregator: { path, heCompatible: true } })
    expect(e.problems).toEqual([`aggregator: ${path} does not exist in NVFlare 2.8`])
  })

  it.each([0, -1, 1.5])('refuses minClients %s', (minClients) => {
    const e = problemsOf({ ...base(), minClients })
    expect(e.code).toBe('recipe-invalid')
    expect(e.problems).toEqual([expect.stringMatching(/^minClients: must be a whole number ≥ 1/)])
  })

  it('requires minClients', () => {
    const e = problemsOf({ trainScript: CLIENT_PY })
    expect(e.problems.join('\n')).toMatch(/^minClients:/)
  })

  it.each([0, -3, 2.5])('refuses numRounds %s', (numRounds) => {
    expect(problemsOf({ ...base(), numRounds }).problems).toEqual([
      expect.stringMatching(/^numRounds: must be a whole number ≥ 1/),
    ])
  })

  it('refuses a train script that does not exist, naming where it looked', () => {
    const cwd = temp.make()
    const e = problemsOf({ ...base(), trainScript: 'nope.py', cwd })
    expect(e.problems).toEqual([`trainScript: nope.py is not a file (looked for ${join(cwd, 'nope.py')})`])
  })

  it('refuses a train script that is a folder, or that climbs out of cwd', () => {
    const cwd = temp.make()
    mkdirSync(join(cwd, 'dir.py'))
    expect(problemsOf({ ...base(), trainScript: 'dir.py', cwd }).problems[0]).toMatch(/is not a file/)
    const inner = join(cwd, 'inner')
    mkdirSync(inner)
    copyFileSync(CLIENT_PY, join(cwd, 'up.py'))
    expect(problemsOf({ ...base(), trainScript: '../up.py', cwd: inner }).problems[0]).toMatch(
      /leaves the current folder/,
    )
  })

  it('refuses a checkpoint without a model', () => {
    const e = problemsOf({ ...base(), initialCkpt: '/srv/models/start.pt' })
    expect(e.problems).toEqual([expect.stringMatching(/^initialCkpt: a checkpoint needs a model/)])
  })

  it('refuses a relative checkpoint that does not exist locally', () => {
    const e = problemsOf({
      ...base(),
      model: { classPath: 'model.SimpleNet' },
      initialCkpt: 'missing.pt',
      cwd: temp.make(),
    })
    expect(e.problems[0]).toMatch(/^initialCkpt: relative path missing.pt does not exist locally/)
  })

  it('bundles a relative checkpoint into custom/ and passes its base name to the persistor', () => {
    const cwd = temp.make()
    mkdirSync(join(cwd, 'ckpt'))
    writeFileSync(join(cwd, 'ckpt/start.pt'), 'weights')
    const recipe = new FedAvgRecipeWithHE({
      ...base(),
      model: { classPath: 'model.SimpleNet' },
      initialCkpt: 'ckpt/start.pt',
      cwd,
    })
    const persistor = recipe.job.server.components.find((c) => c.id === 'persistor')
    expect(persistor?.args).toEqual({
      model: { path: 'model.SimpleNet', args: {} },
      source_ckpt_file_full_name: 'start.pt',
      filter_id: 'model_serialize_filter',
    })
    const { files } = recipe.export(temp.make())
    expect(files).toContain('app/custom/start.pt')
  })

  it('uses an absolute checkpoint as is, without bundling or checking it', () => {
    const recipe = new FedAvgRecipeWithHE({
      ...base(),
      model: { classPath: 'model.SimpleNet' },
      initialCkpt: '/srv/x.pt',
    })
    const persistor = recipe.job.server.components.find((c) => c.id === 'persistor')
    expect(persistor?.args['source_ckpt_file_full_name']).toBe('/srv/x.pt')
    expect(recipe.job.customFiles.map((f) => f.target)).toEqual(['client.py', 'model.py'])
  })

  it('refuses a custom aggregator that is not an HE aggregator', () => {
    const path =
      'nvflare.app_common.aggregators.intime_accumulate_model_aggregator.InTimeAccumulateWeightedAggregator'
    const e = problemsOf({ ...base(), aggregator: { path } })
    expect(e.problems).toEqual([
      expect.stringMatching(new RegExp(`^aggregator: ${path} is not an HE aggregator`)),
    ])
  })

  it('accepts the HE aggregator, or a subclass marked heCompatible, and writes its args', () => {
    const he = 'nvflare.app_opt.he.intime_accumulate_model_aggregator.HEInTimeAccumulateWeightedAggregator'
    const a = new FedAvgRecipeWithHE({
      ...base(),
      aggregator: { classPath: he, args: { exclude_vars: 'bn' } },
    })
    expect(a.job.server.components.at(-1)).toEqual({
      id: 'aggregator',
      path: he,
      args: { exclude_vars: 'bn' },
    })
    const b = new FedAvgRecipeWithHE({ ...base(), aggregator: { path: 'my.HEAgg', heCompatible: true } })
    expect(b.job.server.components.at(-1)?.path).toBe('my.HEAgg')
  })

  it('refuses a model without a class path, or with both spellings', () => {
    expect(problemsOf({ ...base(), model: { args: {} } }).problems[0]).toMatch(/^model: needs exactly one of/)
    expect(problemsOf({ ...base(), model: { classPath: 'a.B', class_path: 'a.B' } }).problems[0]).toMatch(
      /^model:/,
    )
  })

  it.each([
    [{ classPath: 'a.B', args: 5 }, 'model.args: must be an object of JSON values'],
    [{ class_path: '' }, 'model.class_path: must be a class path'],
    [{ classPath: 'a.B', arg: {} }, 'model: unknown option(s) arg'],
    [{}, 'model: needs exactly one of classPath or class_path (the model class, e.g. "model.SimpleNet")'],
    ['model.SimpleNet', 'model: must be an object { classPath, args }'],
  ])('describes model %j by the spelling it uses: %s', (model, problem) => {
    expect(problemsOf({ ...base(), model }).problems).toEqual([problem])
  })

  it.each([
    [
      { path: 'a.B', classPath: 'a.B' },
      'aggregator: needs exactly one class path (path, classPath or class_path)',
    ],
    [{ class_path: 'a.B', heCompatible: 'yes' }, 'aggregator.heCompatible: must be true or false'],
  ])('describes aggregator %j: %s', (aggregator, problem) => {
    expect(problemsOf({ ...base(), aggregator }).problems).toEqual([problem])
  })

  it.each([
    [[], /encrypts nothing/],
    ['', /encrypts nothing/],
    ['(unclosed', /not a valid regular expression/],
    [[1, 2], /^encryptLayers/],
  ])('refuses encryptLayers %j', (encryptLayers, message) => {
    expect(problemsOf({ ...base(), encryptLayers }).problems.join('\n')).toMatch(message)
  })

  it('refuses unknown enum values, unknown options and a bad job name — all at once', () => {
    const e = problemsOf({
      ...base(),
      name: '../escape',
      aggregatorDataKind: 'METRICS',
      serverExpectedFormat: 'json',
      paramsTransferType: 'HALF',
      serverMemoryGcRounds: -1,
      clientMemoryGcRounds: 0.5,
      nmRounds: 3,
    })
    const keys = e.problems.map((p) => p.split(':')[0]).sort()
    expect(keys).toEqual([
      '(options)',
      'aggregatorDataKind',
      'clientMemoryGcRounds',
      'name',
      'paramsTransferType',
      'serverExpectedFormat',
      'serverMemoryGcRounds',
    ])
    expect(e.problems.join('\n')).toMatch(/unknown option\(s\) nmRounds/)
    expect(e.message).toBe('FedAvgRecipeWithHE: 7 invalid option(s)')
  })

  it('accepts enum values in any case, as NVFlare’s str enums compare', () => {
    const o = new FedAvgRecipeWithHE({
      ...base(),
      paramsTransferType: 'diff' as 'DIFF',
      serverExpectedFormat: 'NUMPY' as 'numpy',
    }).options
    expect([o.paramsTransferType, o.serverExpectedFormat]).toEqual(['DIFF', 'numpy'])
  })

  it('refuses an external-process command line that does not parse', () => {
    const e = problemsOf({ ...base(), launchExternalProcess: true, trainArgs: '--name "unterminated' })
    expect(e.problems).toEqual([expect.stringMatching(/^trainArgs: unterminated double quote/)])
  })
})
