import { z } from 'zod'
import { DEFAULT_NVFLARE_VERSION, NVFLARE_VERSIONS } from '../provision/targets/version.js'

export const DATA_KINDS = ['WEIGHTS', 'WEIGHT_DIFF'] as const
/** What the clients send: full weights or weight differences (NVFlare's DataKind). */
export type DataKind = (typeof DATA_KINDS)[number]
export const EXCHANGE_FORMATS = ['numpy', 'pytorch', 'raw', 'keras_layer_weights'] as const
/** The format model parameters are exchanged in (NVFlare's ExchangeFormat). */
export type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number]
export const TRANSFER_TYPES = ['FULL', 'DIFF'] as const
/** Whether the clients send the full model or the difference (NVFlare's TransferType). */
export type TransferType = (typeof TRANSFER_TYPES)[number]

const count = (min: number, what: string) =>
  z
    .number({ error: `must be a whole number ${what}` })
    .int({ error: `must be a whole number ${what}` })
    .min(min, { error: `must be a whole number ${what}` })

/**
 * One of `values`, compared without case as NVFlare's str enums compare (`"diff"` is `"DIFF"`). The type
 * says the canonical spelling; the result is always in it.
 */
const caseless = <T extends readonly [string, ...string[]]>(values: T, upper: boolean) =>
  z.preprocess(
    (v: T[number]) => (typeof v === 'string' ? (upper ? v.toUpperCase() : v.toLowerCase()) : v),
    z.enum(values, { error: `must be one of ${values.join(', ')}` }),
  )

const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Constructor arguments as JSON values (only those that differ from the class's defaults are needed). */
export const jsonArgs = z.record(z.string(), z.json(), { error: 'must be an object of JSON values' })
const classPath = z.string({ error: 'must be a class path' }).min(1, { error: 'must be a class path' })
/** A key one branch of an exclusive union leaves to another: its type says "not here" (`?: undefined`). */
const absent = z.never().optional()

const modelArgs = {
  /** Constructor arguments of the model, as JSON values. */
  args: jsonArgs.optional(),
}
const modelSchema = z.xor(
  [
    z.strictObject({
      /** The model class, e.g. `"model.SimpleNet"`; its module is bundled from beside the training script. */
      classPath,
      class_path: absent,
      ...modelArgs,
    }),
    z.strictObject({
      /** NVFlare's spelling of `classPath`. */
      class_path: classPath,
      classPath: absent,
      ...modelArgs,
    }),
  ],
  {
    error: (issue) =>
      isObject(issue.input)
        ? 'needs exactly one of classPath or class_path (the model class, e.g. "model.SimpleNet")'
        : 'must be an object { classPath, args }',
  },
)

const aggregatorRest = {
  /** Constructor arguments that differ from the class's defaults. */
  args: jsonArgs.optional(),
  /** Set when the class subclasses HEInTimeAccumulateWeightedAggregator (or otherwise works on HE data). */
  heCompatible: z.boolean({ error: 'must be true or false' }).optional(),
}
const aggregatorSchema = z.xor(
  [
    z.strictObject({
      /** NVFlare class path of the aggregator. */
      path: classPath,
      classPath: absent,
      class_path: absent,
      ...aggregatorRest,
    }),
    z.strictObject({
      /** Same as `path`. */
      classPath,
      path: absent,
      class_path: absent,
      ...aggregatorRest,
    }),
    z.strictObject({
      /** Same as `path` (NVFlare's spelling). */
      class_path: classPath,
      path: absent,
      classPath: absent,
      ...aggregatorRest,
    }),
  ],
  {
    error: (issue) =>
      isObject(issue.input)
        ? 'needs exactly one class path (path, classPath or class_path)'
        : 'must be an object { path, args, heCompatible }',
  },
)

const encryptLayersSchema = z.union(
  [
    z
      .array(z.string().min(1, { error: 'a layer name cannot be empty' }), { error: 'a list of layer names' })
      .min(1, { error: 'an empty list encrypts nothing' }),
    z.string().min(1, { error: 'an empty regular expression encrypts nothing' }),
  ],
  { error: 'must be a list of layer names or a regular expression string' },
)

const path = z.string({ error: 'must be a path' }).min(1, { error: 'must be a non-empty path' })

/**
 * The options of FedAvgRecipeWithHE: NVFlare's parameters in camelCase, with NVFlare's defaults. This
 * schema is their one definition: the options type (`z.input`), the validation and its messages, the
 * documentation below, and (through the flag table in fedavg-he-flags.ts) the CLI's flags come from it.
 * `nvflareVersion`, `custom` and `cwd` are ours.
 */
export const fedAvgHeOptionsSchema = z.strictObject({
  /** Job name (default `"fedavg_he"`); also the job folder's name. */
  name: z
    .string({ error: 'must be a job name' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
      error: 'must start with a letter or digit and use only letters, digits, ".", "_" and "-"',
    })
    .default('fedavg_he'),
  /** Initial model: `{ classPath, args }` (NVFlare's `class_path` spelling accepted). None by default. */
  model: modelSchema.optional(),
  /** Checkpoint: relative = bundled into the job's custom/; absolute = a path on the server, used as is. */
  initialCkpt: path.optional(),
  /** Clients needed per round (required). */
  minClients: count(1, '≥ 1'),
  /** Training rounds (default 2). */
  numRounds: count(1, '≥ 1').default(2),
  /** The client training script (Client API): relative to `cwd`, bundled into the job's custom/. */
  trainScript: z
    .string({ error: 'is required (the client training script)' })
    .min(1, { error: 'is required (the client training script)' }),
  /** Arguments for the training script (default `""`). */
  trainArgs: z.string({ error: 'must be a string' }).default(''),
  /** A custom aggregator (must be an HE aggregator). Default: HEInTimeAccumulateWeightedAggregator. */
  aggregator: aggregatorSchema.optional(),
  /** What the clients send: `"WEIGHTS"` (default) or `"WEIGHT_DIFF"`. */
  aggregatorDataKind: caseless(DATA_KINDS, true).default('WEIGHTS'),
  /** Run the training script in its own process (default false). */
  launchExternalProcess: z.boolean({ error: 'must be true or false' }).default(false),
  /** The command that runs the script in external-process mode (default `"python3 -u"`). */
  command: z
    .string({ error: 'must be a command' })
    .trim()
    .min(1, { error: 'must be a non-empty command' })
    .default('python3 -u'),
  /** The format the server expects (default `"numpy"`). */
  serverExpectedFormat: caseless(EXCHANGE_FORMATS, false).default('numpy'),
  /** Send the full model or the difference (default `"FULL"`). */
  paramsTransferType: caseless(TRANSFER_TYPES, true).default('FULL'),
  /** The layers to encrypt: none given = every layer; a list of layer names; or a regular expression string. */
  encryptLayers: encryptLayersSchema.optional(),
  /** Server memory cleanup every N rounds (default 1; 0 = off). */
  serverMemoryGcRounds: count(0, '≥ 0').default(1),
  /** Client memory cleanup every N rounds (default 0 = off). */
  clientMemoryGcRounds: count(0, '≥ 0').default(0),
  /** Also empty the CUDA cache during client memory cleanup (default false). */
  cudaEmptyCache: z.boolean({ error: 'must be true or false' }).default(false),
  /** The NVFlare version the job is written for (ours; default DEFAULT_NVFLARE_VERSION, 2.8). */
  nvflareVersion: z
    .enum(NVFLARE_VERSIONS, { error: `must be one of ${NVFLARE_VERSIONS.join(', ')}` })
    .default(DEFAULT_NVFLARE_VERSION),
  /**
   * Ours: more files or folders (relative to `cwd`) to bundle into the job's custom/, each under its own
   * name. The training script, a relative checkpoint and the model's module are bundled anyway.
   */
  custom: z.array(path, { error: 'must be a list of file or folder paths' }).default([]),
  /** Base folder for relative paths (default: process.cwd()). */
  cwd: path.optional(),
})

/** What FedAvgRecipeWithHE takes: the input type of its schema. */
export type FedAvgRecipeWithHEOptions = z.input<typeof fedAvgHeOptionsSchema>
/** The initial model: `{ classPath, args }` or `{ class_path, args }`. */
export type ModelInput = NonNullable<FedAvgRecipeWithHEOptions['model']>
/** A custom aggregator: one class path (`path`, `classPath` or `class_path`), its args, heCompatible. */
export type AggregatorInput = NonNullable<FedAvgRecipeWithHEOptions['aggregator']>
/** The options after the schema: defaults applied, enum values in their canonical case. */
export type ParsedOptions = z.output<typeof fedAvgHeOptionsSchema>
