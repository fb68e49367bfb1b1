import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import { ExitCode, type ExitCodeValue, isProvisionError, ProvisionError } from '../../errors.js'
import { describeHeParams } from '../../he-builder/describe-params.js'
import { kitKindOf } from '../../provision/kit-kinds.js'
import { DEFAULT_NVFLARE_VERSION, type NvflareVersion } from '../../provision/targets/version.js'
import type { KitsInspection } from '../../recipe/envs/inspect-kits.js'
import type { JobTargetChoice } from '../../recipe/envs/kit-target.js'
import { FEDAVG_HE_FLAGS } from '../../recipe/fedavg-he-flags.js'
import type { FedAvgRecipeWithHEOptions } from '../../recipe/options.js'
import { flagError, namedByFlags } from '../../recipe/read-flags.js'
import type { ExecResult, ExportResult } from '../../recipe/spec.js'
import { addFlags, flagsGiven } from '../flag-options.js'
import { action, out } from '../run.js'
import { JOB_ENV_FLAGS, type JobEnvValues } from './job-flags.js'
import { runMode, runPoc, runProblems, runProd } from './job-run.js'

/**
 * `provision job fedavg-he --kits <prod_NN> --train-script client.py [...]`. The recipe's flags come from
 * its schema (FEDAVG_HE_FLAGS); the flags for where and how the job goes from JOB_ENV_FLAGS.
 */
export function registerJob(program: Command): void {
  const job = program.command('job').description('Assemble NVFlare jobs that run on provisioned kits')
  const fedavgHe = job
    .command('fedavg-he')
    .description(
      'FedAvg with homomorphic encryption (NVFlare’s FedAvgRecipeWithHE): check the kits, then write the job into the admin kit’s transfer/ (or -o DIR); --prod submits it, --poc runs it on a local federation',
    )
  addFlags(fedavgHe, JOB_ENV_FLAGS)
  addFlags(fedavgHe, FEDAVG_HE_FLAGS)
  fedavgHe.action(action(async (_opts: unknown, cmd: Command) => runFedAvgHe(cmd.opts())))
}

async function runFedAvgHe(opts: Readonly<Record<string, unknown>>): Promise<ExitCodeValue> {
  const env = flagsGiven(JOB_ENV_FLAGS, opts)
  const recipeFlags = flagsGiven(FEDAVG_HE_FLAGS, opts)
  const problems = [...env.problems, ...recipeFlags.problems, ...runProblems(env.values)]
  const { kits } = env.values
  if (problems.length > 0) throw flagError(problems)
  // the recipe modules load here, not when the CLI starts
  const [{ inspectKits }, { chooseJobTarget }, { ProdEnv }, { FedAvgRecipeWithHE }] = await Promise.all([
    import('../../recipe/envs/inspect-kits.js'),
    import('../../recipe/envs/kit-target.js'),
    import('../../recipe/envs/prod-env.js'),
    import('../../recipe/fedavg-he.js'),
  ])
  const given = recipeFlags.values
  const make = (clients: number, version: NvflareVersion) =>
    byFlags(recipeFlags.flagOf, () => new FedAvgRecipeWithHE(recipeInput(given, clients, version)))
  const mode = runMode(env.values)
  if (mode === 'poc') {
    const version = given.nvflareVersion ?? DEFAULT_NVFLARE_VERSION
    return runPoc(env.values, given.minClients, (clients) => make(clients, version))
  }
  if (kits === undefined) throw flagError(['--kits: is required'])
  const adminDir = findAdminKit(resolve(kits), env.values.username)
  const username = env.values.username ?? adminDir.split(/[\\/]/).pop()!
  const inspection = await inspectKits(adminDir, username)
  const target = chooseJobTarget(given.nvflareVersion, inspection.kits)
  const recipe = make(inspection.clients, target.version)
  if (mode === 'prod') return runProd(env.values, recipe, adminDir, username)
  if (env.values.output !== undefined) {
    const exported = recipe.export(resolve(env.values.output))
    render(env.values, { exported, inspection, target })
  } else {
    const result = await recipe.deploy(new ProdEnv({ startupKitLocation: adminDir, username }))
    render(env.values, { result, inspection, target })
  }
  return ExitCode.ok
}

/** The recipe's options: the flags given, `minClients` by default the number of clients, the target. */
function recipeInput(
  given: Partial<FedAvgRecipeWithHEOptions>,
  clients: number,
  nvflareVersion: NvflareVersion,
): FedAvgRecipeWithHEOptions {
  const { trainScript } = given
  if (trainScript === undefined) throw flagError(['--train-script: is required'])
  return { minClients: clients, ...given, trainScript, nvflareVersion }
}

/** Runs `make`; the recipe's complaints about options given as flags name the flags. */
function byFlags<R>(flagOf: Readonly<Record<string, string>>, make: () => R): R {
  try {
    return make()
  } catch (error) {
    throw isProvisionError(error) ? namedByFlags(error, flagOf) : error
  }
}

/** The admin kit: `dir` itself, or the one (or the `--username` one) inside a prod_NN folder. */
function findAdminKit(dir: string, username: string | undefined): string {
  const isAdmin = (d: string) => kitKindOf(d)?.type === 'admin'
  if (isAdmin(dir)) return dir
  if (!existsSync(dir)) throw new ProvisionError('not-found', `${dir} does not exist`)
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

function render(flags: JobEnvValues, r: Rendered): void {
  const jobDir = r.result?.jobDir ?? r.exported?.jobDir
  const { version: nvflareVersion, source, kit } = r.target
  const warnings = r.result?.warnings ?? [...r.inspection.warnings, ...r.target.warnings]
  if (flags.json) {
    const target = { nvflareVersion, source, kit: kit ?? null }
    const { kits } = r.inspection
    const heParams = r.inspection.heParams && describeHeParams(r.inspection.heParams)
    out(JSON.stringify({ jobDir, target, heParams, kits, warnings, result: r.result }, null, 2))
    return
  }
  out(
    `kits: ${r.inspection.kits.length} checked (${r.inspection.clients} clients), HE ${r.inspection.heParams ? describeHeParams(r.inspection.heParams) : 'none'}`,
  )
  out(`target: NVFlare ${nvflareVersion} (${targetOrigin(r.target)})`)
  out(`job written: ${jobDir}`)
  for (const warning of warnings) out(`warning: ${warning}`)
  if (!r.result) return
  out('to submit it (nothing has been submitted or run):')
  for (const step of r.result.nextSteps) out(`  ${step}`)
}
