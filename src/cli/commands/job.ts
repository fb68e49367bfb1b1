import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { ProvisionError } from '../../errors.js'
import { Layout } from '../../provision/layout.js'
import { parseNvflareVersion } from '../../provision/targets/version.js'
import type { KitsInspection } from '../../recipe/envs/inspect-kits.js'
import type { JobTargetChoice } from '../../recipe/envs/kit-target.js'
import type { FedAvgRecipeWithHEOptions } from '../../recipe/options.js'
import type { ExecResult, ExportResult } from '../../recipe/spec.js'
import { action, out } from '../run.js'

interface JobFlags {
  kits: string
  username?: string
  trainScript: string
  name?: string
  minClients?: number
  numRounds?: number
  trainArgs?: string
  model?: string
  modelArgs?: string
  initialCkpt?: string
  aggregatorDataKind?: string
  launchExternalProcess?: boolean
  command?: string
  serverExpectedFormat?: string
  paramsTransferType?: string
  encryptLayers?: string
  encryptRegex?: string
  serverMemoryGcRounds?: number
  clientMemoryGcRounds?: number
  cudaEmptyCache?: boolean
  nvflareVersion?: string
  custom?: string[]
  output?: string
  json?: boolean
}

const num = (value: string) => Number(value)
const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value]

/** `provision job fedavg-he --kits <prod_NN> --train-script client.py [...]` */
export function registerJob(program: Command): void {
  const job = program.command('job').description('Assemble NVFlare jobs that run on provisioned kits')
  job
    .command('fedavg-he')
    .description(
      'FedAvg with homomorphic encryption (NVFlare’s FedAvgRecipeWithHE): check the kits, then write the job into the admin kit’s transfer/ (or -o DIR)',
    )
    .requiredOption('--kits <dir>', 'the prod_NN folder of an HE provisioning run (or the admin kit in it)')
    .requiredOption('--train-script <file>', 'the client training script (Client API)')
    .option('--username <user>', 'the admin user whose kit submits the job (default: the only admin kit)')
    .option('--name <name>', 'job name (default fedavg_he)')
    .option('--min-clients <n>', 'clients needed per round (default: the number of client kits)', num)
    .option('--num-rounds <n>', 'training rounds (default 2)', num)
    .option('--train-args <args>', 'arguments for the training script (default "")')
    .option(
      '--nvflare-version <version>',
      'the NVFlare version the sites run: 2.7, 2.8 or 2.9 (default: the one the kits were written for, else 2.8)',
    )
    .option(
      '--model <class>',
      'initial model class path, e.g. model.SimpleNet; its module (model.py or a model/ package beside the training script) is bundled',
    )
    .option('--model-args <json>', 'constructor arguments of the model, as a JSON object')
    .option(
      '--initial-ckpt <file>',
      'checkpoint: relative = bundled into the job, absolute = path on the server',
    )
    .option('--aggregator-data-kind <kind>', 'WEIGHTS (default) or WEIGHT_DIFF')
    .option('--launch-external-process', 'run the training script in its own process')
    .option('--command <cmd>', 'command that runs the script in external-process mode (default "python3 -u")')
    .option('--server-expected-format <format>', 'numpy (default), pytorch, raw or keras_layer_weights')
    .option('--params-transfer-type <type>', 'FULL (default) or DIFF')
    .option('--encrypt-layers <names>', 'comma-separated layer names to encrypt (default: every layer)')
    .option('--encrypt-regex <pattern>', 'encrypt the layers whose names match this regular expression')
    .option('--server-memory-gc-rounds <n>', 'server memory cleanup every N rounds (default 1, 0 = off)', num)
    .option('--client-memory-gc-rounds <n>', 'client memory cleanup every N rounds (default 0 = off)', num)
    .option('--cuda-empty-cache', 'also empty the CUDA cache during client memory cleanup')
    .option(
      '--custom <path>',
      'a file or folder to bundle into the job’s app/custom/ under its own name (repeatable)',
      collect,
    )
    .option('-o, --output <dir>', 'write the job folder into DIR instead of the admin kit’s transfer/')
    .option('--json', 'print the result as JSON')
    .action(action(async (flags: JobFlags) => runFedAvgHe(flags)))
}

async function runFedAvgHe(flags: JobFlags): Promise<number> {
  // the recipe modules load here, not when the CLI starts
  const [{ inspectKits }, { chooseJobTarget }, { ProdEnv }, { FedAvgRecipeWithHE }] = await Promise.all([
    import('../../recipe/envs/inspect-kits.js'),
    import('../../recipe/envs/kit-target.js'),
    import('../../recipe/envs/prod-env.js'),
    import('../../recipe/fedavg-he.js'),
  ])
  const given =
    flags.nvflareVersion === undefined
      ? undefined
      : parseNvflareVersion(flags.nvflareVersion, '--nvflare-version')
  const adminDir = findAdminKit(resolve(flags.kits), flags.username)
  const username = flags.username ?? adminDir.split(/[\\/]/).pop()!
  const inspection = await inspectKits(adminDir, username)
  const target = chooseJobTarget(given, inspection.kits)
  const recipe = new FedAvgRecipeWithHE({
    ...recipeOptions(flags, inspection),
    nvflareVersion: target.version,
  })
  if (flags.output !== undefined) {
    const exported = recipe.export(resolve(flags.output))
    render(flags, { exported, inspection, target })
  } else {
    const result = await recipe.execute(new ProdEnv({ startupKitLocation: adminDir, username }))
    render(flags, { result, inspection, target })
  }
  return 0
}

/** The admin kit: `dir` itself, or the one (or the `--username` one) inside a prod_NN folder. */
function findAdminKit(dir: string, username: string | undefined): string {
  const isAdmin = (d: string) => existsSync(join(d, Layout.startup, Layout.fedAdmin))
  if (isAdmin(dir)) return dir
  if (!existsSync(dir)) throw new ProvisionError('kits-missing', `${dir} does not exist`)
  const admins = readdirSync(dir).filter((name) => isAdmin(join(dir, name)))
  const wanted = username === undefined ? admins : admins.filter((name) => name === username)
  if (wanted.length === 1) return join(dir, wanted[0] as string)
  const what = username === undefined ? 'admin kit' : `admin kit for ${username}`
  throw new ProvisionError(
    'admin-kit-choice',
    `found ${wanted.length === 0 ? 'no' : 'several'} ${what} in ${dir}`,
    {
      hint:
        admins.length > 0
          ? `pick one with --username (${admins.join(', ')})`
          : 'point --kits at a prod_NN folder',
    },
  )
}

function recipeOptions(flags: JobFlags, inspection: KitsInspection): FedAvgRecipeWithHEOptions {
  const o: Record<string, unknown> = {
    minClients: flags.minClients ?? inspection.clients,
    trainScript: flags.trainScript,
    name: flags.name,
    numRounds: flags.numRounds,
    trainArgs: flags.trainArgs,
    initialCkpt: flags.initialCkpt,
    aggregatorDataKind: flags.aggregatorDataKind,
    launchExternalProcess: flags.launchExternalProcess,
    command: flags.command,
    serverExpectedFormat: flags.serverExpectedFormat,
    paramsTransferType: flags.paramsTransferType,
    serverMemoryGcRounds: flags.serverMemoryGcRounds,
    clientMemoryGcRounds: flags.clientMemoryGcRounds,
    cudaEmptyCache: flags.cudaEmptyCache,
    custom: flags.custom,
  }
  if (flags.model !== undefined)
    o['model'] = { classPath: flags.model, args: parseModelArgs(flags.modelArgs) }
  if (flags.encryptLayers !== undefined && flags.encryptRegex !== undefined) {
    throw new ProvisionError('job-flags', 'give --encrypt-layers or --encrypt-regex, not both')
  }
  if (flags.encryptLayers !== undefined)
    o['encryptLayers'] = flags.encryptLayers.split(',').map((s) => s.trim())
  if (flags.encryptRegex !== undefined) o['encryptLayers'] = flags.encryptRegex
  for (const key of Object.keys(o)) if (o[key] === undefined) delete o[key]
  return o as unknown as FedAvgRecipeWithHEOptions
}

function parseModelArgs(text: string | undefined): unknown {
  if (text === undefined) return {}
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new ProvisionError('job-flags', `--model-args is not JSON: ${(error as Error).message}`, {
      hint: `for example --model-args '{"num_classes": 10}'`,
    })
  }
}

interface Rendered {
  inspection: KitsInspection
  target: JobTargetChoice
  exported?: ExportResult
  result?: ExecResult
}

/** Where the job's NVFlare version came from, in words. */
function targetOrigin(t: JobTargetChoice): string {
  if (t.source === 'option') return '--nvflare-version'
  if (t.source === 'kits') return `read from kit ${t.kit}`
  return 'the default: no kit tells its version'
}

function render(flags: JobFlags, r: Rendered): void {
  const jobDir = r.result?.jobDir ?? r.exported?.jobDir
  const { version: nvflareVersion, source, kit } = r.target
  const warnings = r.result?.warnings ?? r.target.warnings
  if (flags.json) {
    const target = { nvflareVersion, source, kit: kit ?? null }
    const { heParams, kits } = r.inspection
    out(JSON.stringify({ jobDir, target, heParams, kits, warnings, result: r.result }, null, 2))
    return
  }
  out(
    `kits: ${r.inspection.kits.length} checked (${r.inspection.clients} clients), HE ${r.inspection.heParams}`,
  )
  out(`target: NVFlare ${nvflareVersion} (${targetOrigin(r.target)})`)
  out(`job written: ${jobDir}`)
  for (const warning of warnings) out(`warning: ${warning}`)
  if (!r.result) return
  out('to submit it (nothing has been submitted or run):')
  for (const step of r.result.nextSteps) out(`  ${step}`)
}
