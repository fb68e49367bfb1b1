import { statSync } from 'node:fs'
import { basename, dirname, isAbsolute, normalize, resolve, sep } from 'node:path'
import { ProvisionError } from '../errors.js'
import { classStatus } from '../provision/targets/classes.js'
import { HE_AGGREGATOR_PATHS } from '../provision/targets/job-classes.js'
import type { NvflareVersion } from '../provision/targets/version.js'
import { addCustomEntries, addModelModule, addToBundle, emptyBundle } from './bundle.js'
import { describeIssues } from './issues.js'
import type { JsonValue } from './job/component.js'
import type { CustomFile } from './job/job-config.js'
import { shlexSplit } from './job/shlex.js'
import { type FedAvgRecipeWithHEOptions, fedAvgHeOptionsSchema, type ParsedOptions } from './options.js'

/** The options the schema keeps as they are; resolving turns the others into what the job is built from. */
type ResolvedKeys = 'model' | 'initialCkpt' | 'trainScript' | 'aggregator' | 'custom' | 'cwd'

/**
 * The options after validation (the type of `FedAvgRecipeWithHE.options`): defaults applied, enum values
 * canonical, class paths in one spelling, paths checked and the files of app/custom/ collected.
 */
export type FedAvgRecipeWithHEResolved = Omit<ParsedOptions, ResolvedKeys> & {
  model: { path: string; args: Record<string, JsonValue> } | undefined
  /** What the persistor gets as `source_ckpt_file_full_name` (a bundled basename or an absolute path). */
  initialCkpt: { value: string; bundle: CustomFile | undefined } | undefined
  trainScript: CustomFile
  aggregator: { path: string; args: Record<string, JsonValue> } | undefined
  /** Everything app/custom/ gets: the training script, a relative checkpoint, the model's module, `custom`. */
  customFiles: CustomFile[]
}
/** The name issue 15 gives FedAvgRecipeWithHEResolved. */
export type ResolvedOptions = FedAvgRecipeWithHEResolved

const invalid = (problems: string[]) =>
  new ProvisionError('recipe-invalid', `FedAvgRecipeWithHE: ${problems.length} invalid option(s)`, {
    problems,
    hint: 'Fix the options listed above; defaults follow NVFlare (numRounds 2, trainArgs "", ...).',
  })

/** Validates the options (schema, then rules that look at the file system). Throws ProvisionError. */
export function resolveOptions(input: FedAvgRecipeWithHEOptions): FedAvgRecipeWithHEResolved {
  const parsed = fedAvgHeOptionsSchema.safeParse(input)
  if (!parsed.success) throw invalid(describeIssues(parsed.error))
  const o = parsed.data
  const cwd = resolve(o.cwd ?? process.cwd())
  const problems: string[] = []
  const trainScript = resolveTrainScript(o.trainScript, cwd, problems)
  const initialCkpt = resolveCkpt(o, cwd, problems)
  const aggregator = resolveAggregator(o, problems)
  checkRegex(o.encryptLayers, problems)
  if (o.launchExternalProcess) checkCommandLine(o, problems)
  const model = o.model && {
    path: o.model.classPath !== undefined ? o.model.classPath : o.model.class_path,
    args: o.model.args ?? {},
  }
  checkClassPaths(o.nvflareVersion, { model: model?.path, aggregator: aggregator?.path }, problems)
  const customFiles = bundleFiles(o, cwd, { trainScript, initialCkpt, model }, problems)
  if (problems.length > 0 || trainScript === undefined) throw invalid(problems)
  const { custom: _custom, cwd: _cwd, ...kept } = o
  return { ...kept, model, initialCkpt, trainScript, aggregator, customFiles }
}

/**
 * What app/custom/ gets, in this order: the training script, a relative checkpoint, the `custom` entries,
 * and the model's module (looked for beside the training script, unless `custom` brought it).
 */
function bundleFiles(
  o: ParsedOptions,
  cwd: string,
  r: Pick<FedAvgRecipeWithHEResolved, 'initialCkpt' | 'model'> & { trainScript: CustomFile | undefined },
  problems: string[],
): CustomFile[] {
  const bundle = emptyBundle(problems)
  if (r.trainScript) addToBundle(bundle, 'trainScript', r.trainScript.source, r.trainScript.target)
  const ckpt = r.initialCkpt?.bundle
  if (ckpt) addToBundle(bundle, 'initialCkpt', ckpt.source, ckpt.target)
  addCustomEntries(bundle, o.custom, cwd)
  if (r.model && r.trainScript) addModelModule(bundle, r.model.path, dirname(r.trainScript.source))
  return bundle.files
}

/** A class path of NVFlare's own that the target version lacks cannot load on its runtime. */
function checkClassPaths(
  version: NvflareVersion,
  paths: Record<string, string | undefined>,
  problems: string[],
): void {
  for (const [key, path] of Object.entries(paths)) {
    if (path?.startsWith('nvflare.') && classStatus(version, path) === 'missing') {
      problems.push(`${key}: ${path} does not exist in NVFlare ${version}`)
    }
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
function resolveTrainScript(script: string, cwd: string, problems: string[]): CustomFile | undefined {
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

function resolveCkpt(
  o: ParsedOptions,
  cwd: string,
  problems: string[],
): FedAvgRecipeWithHEResolved['initialCkpt'] {
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

function resolveAggregator(o: ParsedOptions, problems: string[]): FedAvgRecipeWithHEResolved['aggregator'] {
  if (o.aggregator === undefined) return undefined
  const a = o.aggregator
  const path = a.path !== undefined ? a.path : a.classPath !== undefined ? a.classPath : a.class_path
  if (!HE_AGGREGATOR_PATHS.includes(path) && a.heCompatible !== true) {
    problems.push(
      `aggregator: ${path} is not an HE aggregator; use ${HE_AGGREGATOR_PATHS.join(' or ')}, or a subclass ` +
        'of it marked heCompatible: true (a plain aggregator cannot add ciphertexts)',
    )
  }
  return { path, args: a.args ?? {} }
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
