import { statSync } from 'node:fs'
import { basename, isAbsolute, normalize, resolve, sep } from 'node:path'
import { ProvisionError } from '../errors.js'
import type { JsonValue } from './job/component.js'
import { HE_AGGREGATOR_PATHS } from './job/nvflare-classes.js'
import { shlexSplit } from './job/shlex.js'
import {
  type DataKind,
  describeIssues,
  type ExchangeFormat,
  type FedAvgRecipeWithHEOptions,
  optionsSchema,
  type ParsedOptions,
  type TransferType,
} from './options.js'

/** A file to copy into app/custom/ and the name the job refers to it by. */
export interface BundledFile {
  source: string
  target: string
}

/** The options after validation: defaults applied, paths checked. */
export interface ResolvedOptions {
  name: string
  model: { path: string; args: Record<string, JsonValue> } | undefined
  /** What the persistor gets as `source_ckpt_file_full_name` (a bundled basename or an absolute path). */
  initialCkpt: { value: string; bundle: BundledFile | undefined } | undefined
  minClients: number
  numRounds: number
  trainScript: BundledFile
  trainArgs: string
  aggregator: { path: string; args: Record<string, JsonValue> } | undefined
  aggregatorDataKind: DataKind
  launchExternalProcess: boolean
  command: string
  serverExpectedFormat: ExchangeFormat
  paramsTransferType: TransferType
  encryptLayers: string[] | string | undefined
  serverMemoryGcRounds: number
  clientMemoryGcRounds: number
  cudaEmptyCache: boolean
}

const invalid = (problems: string[]) =>
  new ProvisionError('recipe-invalid', `FedAvgRecipeWithHE: ${problems.length} invalid option(s)`, {
    problems,
    hint: 'Fix the options listed above; defaults follow NVFlare (numRounds 2, trainArgs "", ...).',
  })

/** Validates the options (schema, then rules that look at the file system). Throws ProvisionError. */
export function resolveOptions(input: FedAvgRecipeWithHEOptions): ResolvedOptions {
  const parsed = optionsSchema.safeParse(input)
  if (!parsed.success) throw invalid(describeIssues(parsed.error))
  const o = parsed.data
  const cwd = resolve(o.cwd ?? process.cwd())
  const problems: string[] = []
  const trainScript = resolveTrainScript(o.trainScript, cwd, problems)
  const initialCkpt = resolveCkpt(o, cwd, problems)
  const aggregator = resolveAggregator(o, problems)
  checkRegex(o.encryptLayers, problems)
  if (o.launchExternalProcess) checkCommandLine(o, problems)
  if (problems.length > 0 || trainScript === undefined) throw invalid(problems)
  const model = o.model && {
    path: (o.model.classPath ?? o.model.class_path) as string,
    args: o.model.args ?? {},
  }
  return {
    ...pick(o),
    model,
    initialCkpt,
    trainScript,
    aggregator,
  }
}

function pick(o: ParsedOptions) {
  const { name, minClients, numRounds, trainArgs, aggregatorDataKind, launchExternalProcess, command } = o
  const { serverExpectedFormat, paramsTransferType, encryptLayers } = o
  const { serverMemoryGcRounds, clientMemoryGcRounds, cudaEmptyCache } = o
  return {
    name,
    minClients,
    numRounds,
    trainArgs,
    aggregatorDataKind,
    launchExternalProcess,
    command,
    serverExpectedFormat,
    paramsTransferType,
    encryptLayers,
    serverMemoryGcRounds,
    clientMemoryGcRounds,
    cudaEmptyCache,
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** A relative script keeps its relative path inside custom/; an absolute one goes in as its base name. */
function resolveTrainScript(script: string, cwd: string, problems: string[]): BundledFile | undefined {
  const source = resolve(cwd, script)
  if (!isFile(source)) {
    problems.push(`trainScript: ${script} is not a file (looked for ${source})`)
    return undefined
  }
  if (isAbsolute(script)) return { source, target: basename(source) }
  const rel = normalize(script)
  if (rel.split(sep).includes('..')) {
    problems.push(`trainScript: ${script} leaves the current folder; give an absolute path instead`)
    return undefined
  }
  return { source, target: rel.split(sep).join('/') }
}

function resolveCkpt(o: ParsedOptions, cwd: string, problems: string[]): ResolvedOptions['initialCkpt'] {
  if (o.initialCkpt === undefined) return undefined
  if (o.model === undefined) {
    problems.push(
      'initialCkpt: a checkpoint needs a model (PyTorch rebuilds the architecture from it); set model',
    )
  }
  if (isAbsolute(o.initialCkpt)) return { value: o.initialCkpt, bundle: undefined }
  const source = resolve(cwd, o.initialCkpt)
  if (!isFile(source)) {
    problems.push(
      `initialCkpt: relative path ${o.initialCkpt} does not exist locally (${source}); relative checkpoints ` +
        'are bundled into the job, use an absolute path for a checkpoint that lives on the server',
    )
    return undefined
  }
  const target = basename(source)
  return { value: target, bundle: { source, target } }
}

function resolveAggregator(o: ParsedOptions, problems: string[]): ResolvedOptions['aggregator'] {
  if (o.aggregator === undefined) return undefined
  const path = (o.aggregator.path ?? o.aggregator.classPath ?? o.aggregator.class_path) as string
  if (!HE_AGGREGATOR_PATHS.includes(path) && o.aggregator.heCompatible !== true) {
    problems.push(
      `aggregator: ${path} is not an HE aggregator; use ${HE_AGGREGATOR_PATHS.join(' or ')}, or a subclass ` +
        'of it marked heCompatible: true (a plain aggregator cannot add ciphertexts)',
    )
  }
  return { path, args: o.aggregator.args ?? {} }
}

function checkRegex(layers: string[] | string | undefined, problems: string[]): void {
  if (typeof layers !== 'string') return
  try {
    new RegExp(layers)
  } catch (error) {
    problems.push(
      `encryptLayers: "${layers}" is not a valid regular expression (${(error as Error).message})`,
    )
  }
}

/** External-process trainers get `command` and `trainArgs` split into argv: both must parse. */
function checkCommandLine(o: ParsedOptions, problems: string[]): void {
  for (const key of ['command', 'trainArgs'] as const) {
    try {
      shlexSplit(o[key])
    } catch (error) {
      problems.push(`${key}: ${(error as Error).message}`)
    }
  }
}
