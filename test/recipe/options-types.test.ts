// Type-level tests: `npm run typecheck` compiles this file, and each `@ts-expect-error` fails the
// compile if the options type ever accepts what it marks (an unused expectation is an error).
import { describe, expectTypeOf, it } from 'vitest'
import type {
  AggregatorInput,
  FedAvgRecipeWithHE,
  FedAvgRecipeWithHEOptions,
  FedAvgRecipeWithHEResolved,
  ModelInput,
} from '../../src/index.js'
import type { NvflareVersion } from '../../src/provision/targets/version.js'
import { FEDAVG_HE_FLAGS } from '../../src/recipe/fedavg-he-flags.js'
import { number, text } from '../../src/recipe/flag-parsers.js'
import { flagTable } from '../../src/recipe/option-flags.js'
import { fedAvgHeOptionsSchema } from '../../src/recipe/options.js'

type Options = FedAvgRecipeWithHEOptions
const base = { minClients: 2, trainScript: 'client.py' } satisfies Options

describe('FedAvgRecipeWithHEOptions (z.input of the schema)', () => {
  it('accepts what the library accepts', () => {
    expectTypeOf(base).toExtend<Options>()
    const full = {
      ...base,
      name: 'job',
      numRounds: 3,
      model: { class_path: 'model.Net', args: { layers: [1, 2], dropout: null } },
      aggregator: { path: 'my.HEAgg', heCompatible: true },
      aggregatorDataKind: 'WEIGHT_DIFF',
      serverExpectedFormat: 'pytorch',
      paramsTransferType: 'DIFF',
      encryptLayers: 'fc.*',
      nvflareVersion: '2.9',
      custom: ['helpers/'],
    } satisfies Options
    expectTypeOf(full).toExtend<Options>()
    expectTypeOf<{ classPath: string }>().toExtend<ModelInput>()
    expectTypeOf<{ classPath: string }>().toExtend<AggregatorInput>()
  })

  it('refuses wrong types, missing keys, unknown keys and both class-path spellings', () => {
    // @ts-expect-error numRounds is a number
    const rounds: Options = { ...base, numRounds: '3' }
    // @ts-expect-error not a data kind
    const kind: Options = { ...base, aggregatorDataKind: 'METRICS' }
    // @ts-expect-error not an NVFlare version fedforge writes for
    const version: Options = { ...base, nvflareVersion: '2.6' }
    // @ts-expect-error custom is a list of paths
    const custom: Options = { ...base, custom: 'model.py' }
    // @ts-expect-error trainScript is required
    const noScript: Options = { minClients: 2 }
    // @ts-expect-error an unknown option
    const typo: Options = { ...base, nmRounds: 3 }
    // @ts-expect-error a model needs a class path
    const noClass: Options = { ...base, model: { args: {} } }
    // @ts-expect-error one spelling only
    const both: ModelInput = { classPath: 'a.B', class_path: 'a.B' }
    // @ts-expect-error one class path only
    const twoPaths: AggregatorInput = { path: 'a.B', classPath: 'a.B' }
    // @ts-expect-error args are JSON values
    const args: ModelInput = { classPath: 'a.B', args: { f: () => 1 } }
    expectTypeOf([rounds, kind, version, custom, noScript, typo, noClass, both, twoPaths, args]).toBeArray()
  })
})

describe('FedAvgRecipeWithHEResolved (the type of recipe.options)', () => {
  it('has every default applied and one spelling of each class path', () => {
    expectTypeOf<FedAvgRecipeWithHE['options']>().toEqualTypeOf<FedAvgRecipeWithHEResolved>()
    expectTypeOf<FedAvgRecipeWithHEResolved['numRounds']>().toEqualTypeOf<number>()
    expectTypeOf<FedAvgRecipeWithHEResolved['nvflareVersion']>().toEqualTypeOf<NvflareVersion>()
    expectTypeOf<FedAvgRecipeWithHEResolved['aggregatorDataKind']>().toEqualTypeOf<
      'WEIGHTS' | 'WEIGHT_DIFF'
    >()
    expectTypeOf<NonNullable<FedAvgRecipeWithHEResolved['model']>['path']>().toEqualTypeOf<string>()
    expectTypeOf<FedAvgRecipeWithHEResolved>().not.toHaveProperty('custom')
    expectTypeOf<FedAvgRecipeWithHEResolved>().not.toHaveProperty('cwd')
  })
})

describe('the flag table is typed by the schema', () => {
  it('refuses a parser whose values do not fit the option', () => {
    const table = flagTable(fedAvgHeOptionsSchema, (f) => [
      f.value('numRounds', '--num-rounds <n>', number, 'rounds'),
      // @ts-expect-error a string parser for a number option
      f.value('numRounds', '--rounds <n>', text, 'rounds'),
      // @ts-expect-error no such option
      f.value('numRound', '--num-round <n>', number, 'rounds'),
    ])
    expectTypeOf(table).toEqualTypeOf(FEDAVG_HE_FLAGS)
  })
})
