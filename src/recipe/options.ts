import { z } from 'zod'
import {
  DEFAULT_NVFLARE_VERSION,
  NVFLARE_VERSIONS,
  type NvflareVersion,
} from '../provision/targets/version.js'
import type { JsonValue } from './job/component.js'

/**
 * The options of FedAvgRecipeWithHE: NVFlare's parameters in camelCase, with NVFlare's defaults.
 * `cwd` is ours: the folder relative `trainScript` and `initialCkpt` paths are read from.
 */
export interface FedAvgRecipeWithHEOptions {
  /** Job name (default "fedavg_he"); also the job folder's name. */
  name?: string
  /** Initial model: `{ classPath, args }` (NVFlare's `class_path` spelling accepted). None by default. */
  model?: ModelInput
  /** Checkpoint: relative = bundled into the job's custom/; absolute = a path on the server, used as is. */
  initialCkpt?: string
  minClients: number
  /** Default 2. */
  numRounds?: number
  trainScript: string
  /** Default "". */
  trainArgs?: string
  /** A custom aggregator (must be an HE aggregator). Default: HEInTimeAccumulateWeightedAggregator. */
  aggregator?: AggregatorInput
  /** Default "WEIGHTS". */
  aggregatorDataKind?: DataKind
  /** Default false. */
  launchExternalProcess?: boolean
  /** Default "python3 -u" (external process only). */
  command?: string
  /** Default "numpy". */
  serverExpectedFormat?: ExchangeFormat
  /** Default "FULL". */
  paramsTransferType?: TransferType
  /** None (every layer), a list of layer names, or a regular expression string. */
  encryptLayers?: string[] | string
  /** Default 1. */
  serverMemoryGcRounds?: number
  /** Default 0. */
  clientMemoryGcRounds?: number
  /** Default false. */
  cudaEmptyCache?: boolean
  /** The NVFlare version the job is written for (ours; default DEFAULT_NVFLARE_VERSION, 2.8). */
  nvflareVersion?: NvflareVersion
  /**
   * Ours: more files or folders (relative to `cwd`) to bundle into the job's custom/, each under its own
   * name. The training script, a relative checkpoint and the model's module are bundled anyway.
   */
  custom?: string[]
  /** Base folder for relative paths (default: process.cwd()). */
  cwd?: string
}

export type ModelInput =
  | { classPath: string; args?: Record<string, JsonValue> }
  | { class_path: string; args?: Record<string, JsonValue> }

export interface AggregatorInput {
  /** NVFlare class path of the aggregator (`classPath` / `class_path` also accepted). */
  path?: string
  classPath?: string
  class_path?: string
  /** Constructor arguments that differ from the class's defaults. */
  args?: Record<string, JsonValue>
  /** Set when the class subclasses HEInTimeAccumulateWeightedAggregator (or otherwise works on HE data). */
  heCompatible?: boolean
}

export const DATA_KINDS = ['WEIGHTS', 'WEIGHT_DIFF'] as const
export type DataKind = (typeof DATA_KINDS)[number]
export const EXCHANGE_FORMATS = ['numpy', 'pytorch', 'raw', 'keras_layer_weights'] as const
export type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number]
export const TRANSFER_TYPES = ['FULL', 'DIFF'] as const
export type TransferType = (typeof TRANSFER_TYPES)[number]

const count = (min: number, what: string) =>
  z
    .number({ error: `must be a whole number ${what}` })
    .int({ error: `must be a whole number ${what}` })
    .min(min, { error: `must be a whole number ${what}` })

const caseless = <T extends readonly [string, ...string[]]>(values: T, upper: boolean) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? (upper ? v.toUpperCase() : v.toLowerCase()) : v),
    z.enum(values, { error: `must be one of ${values.join(', ')}` }),
  )

const jsonArgs = z.record(z.string(), z.json(), { error: 'must be an object of JSON values' })

const modelSchema = z
  .object({
    classPath: z.string().min(1).optional(),
    class_path: z.string().min(1).optional(),
    args: jsonArgs.optional(),
  })
  .strict()
  .refine((m) => (m.classPath === undefined) !== (m.class_path === undefined), {
    error: 'needs exactly one of classPath or class_path (the model class, e.g. "model.SimpleNet")',
  })

const aggregatorSchema = z
  .object({
    path: z.string().min(1).optional(),
    classPath: z.string().min(1).optional(),
    class_path: z.string().min(1).optional(),
    args: jsonArgs.optional(),
    heCompatible: z.boolean().optional(),
  })
  .strict()
  .refine((a) => [a.path, a.classPath, a.class_path].filter((p) => p !== undefined).length === 1, {
    error: 'needs exactly one class path (path, classPath or class_path)',
  })

const encryptLayersSchema = z.union(
  [
    z
      .array(z.string().min(1), { error: 'a list of layer names' })
      .min(1, { error: 'an empty list encrypts nothing' }),
    z.string().min(1, { error: 'an empty regular expression encrypts nothing' }),
  ],
  { error: 'must be a list of layer names or a regular expression string' },
)

export const optionsSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
        error: 'must start with a letter or digit and use only letters, digits, ".", "_" and "-"',
      })
      .default('fedavg_he'),
    model: modelSchema.optional(),
    initialCkpt: z.string().min(1, { error: 'must be a non-empty path' }).optional(),
    minClients: count(1, '≥ 1'),
    numRounds: count(1, '≥ 1').default(2),
    trainScript: z
      .string({ error: 'is required (the client training script)' })
      .min(1, { error: 'is required' }),
    trainArgs: z.string().default(''),
    aggregator: aggregatorSchema.optional(),
    aggregatorDataKind: caseless(DATA_KINDS, true).default('WEIGHTS'),
    launchExternalProcess: z.boolean().default(false),
    command: z.string().trim().min(1, { error: 'must be a non-empty command' }).default('python3 -u'),
    serverExpectedFormat: caseless(EXCHANGE_FORMATS, false).default('numpy'),
    paramsTransferType: caseless(TRANSFER_TYPES, true).default('FULL'),
    encryptLayers: encryptLayersSchema.optional(),
    serverMemoryGcRounds: count(0, '≥ 0').default(1),
    clientMemoryGcRounds: count(0, '≥ 0').default(0),
    cudaEmptyCache: z.boolean().default(false),
    nvflareVersion: z
      .enum(NVFLARE_VERSIONS, { error: `must be one of ${NVFLARE_VERSIONS.join(', ')}` })
      .default(DEFAULT_NVFLARE_VERSION),
    custom: z
      .array(z.string().min(1, { error: 'must be a non-empty path' }), {
        error: 'must be a list of file or folder paths',
      })
      .default([]),
    cwd: z.string().min(1).optional(),
  })
  .strict()

export type ParsedOptions = z.output<typeof optionsSchema>

/** One line per problem: `key.path: message`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.join('.') : '(options)'
    if (issue.code === 'unrecognized_keys') return `${key}: unknown option(s) ${issue.keys.join(', ')}`
    return `${key}: ${issue.message}`
  })
}
