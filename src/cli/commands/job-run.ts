import { resolve } from 'node:path'
import { ExitCode, type ExitCodeValue } from '../../errors.js'
import type { RunTimeouts } from '../../recipe/envs/runtime/timeouts.js'
import type { FedAvgRecipeWithHE } from '../../recipe/fedavg-he.js'
import { flagError } from '../../recipe/read-flags.js'
import type { JobRun } from '../../recipe/spec.js'
import { renderMode } from '../render.js'
import { createRunRenderer, printRunSummary } from '../render-run.js'
import { stopOnSignals } from '../stop-signals.js'
import type { JobEnvValues } from './job-flags.js'

/** The flags of `job fedavg-he` that say where the job goes (JOB_ENV_FLAGS). */
export type RunFlags = JobEnvValues

/** What does not fit together among the flags that say where the job goes. */
export function runProblems(flags: RunFlags): string[] {
  const problems: string[] = []
  if (flags.poc && flags.prod) problems.push('--poc, --prod: give one, not both')
  if (flags.poc && flags.kits !== undefined)
    problems.push('--kits: not with --poc, which provisions its own kits')
  if (!flags.poc && flags.kits === undefined)
    problems.push('--kits: is required (or --poc for a local federation)')
  if ((flags.poc || flags.prod) && flags.output !== undefined) {
    problems.push('-o: only writes the job; not with --poc or --prod')
  }
  if (flags.wait && !flags.prod) problems.push('--wait: goes with --prod')
  if (flags.workspace !== undefined && !flags.poc) problems.push('-w: goes with --poc')
  if (flags.numClients !== undefined && !flags.poc) problems.push('--num-clients: goes with --poc')
  return problems
}

/** Which environment runs the job (the flags checked by runProblems); undefined: the job is only written. */
export const runMode = (flags: RunFlags): 'poc' | 'prod' | undefined =>
  flags.poc ? 'poc' : flags.prod ? 'prod' : undefined

function timeouts(flags: RunFlags): Partial<RunTimeouts> {
  const t: Partial<RunTimeouts> = {}
  if (flags.registrationTimeout !== undefined) t.registration = flags.registrationTimeout
  if (flags.startTimeout !== undefined) t.jobStart = flags.startTimeout
  if (flags.roundTimeout !== undefined) t.round = flags.roundTimeout
  return t
}

/** `--poc`: the recipe, made for the PoC's clients by `make`, runs on a local federation. */
export async function runPoc(
  flags: RunFlags,
  minClients: number | undefined,
  make: (clients: number) => FedAvgRecipeWithHE,
): Promise<ExitCodeValue> {
  const { PocEnv } = await import('../../recipe/envs/poc-env.js')
  const numClients = flags.numClients ?? minClients ?? 2
  if (minClients !== undefined && minClients > numClients) {
    throw flagError([
      `--min-clients: the job needs ${minClients} clients, the PoC has ${numClients} (--num-clients)`,
    ])
  }
  const recipe = make(numClients)
  const dir = resolve(flags.workspace ?? 'workspace')
  const env = new PocEnv({
    workspace: dir,
    numClients,
    timeouts: timeouts(flags),
    ...(flags.python ? { python: flags.python } : {}),
  })
  return execute(flags, recipe, env, [
    'stopping the federation: ending every process it started…',
    `still stopping; one more Ctrl-C quits at once and may leave processes running (then: provision poc stop -w ${dir})`,
  ])
}

/** `--prod`: submit through the admin kit; `--wait` follows the job to its end. */
export async function runProd(
  flags: RunFlags,
  recipe: FedAvgRecipeWithHE,
  startupKitLocation: string,
  username: string,
): Promise<ExitCodeValue> {
  const { ProdEnv } = await import('../../recipe/envs/prod-env.js')
  const env = new ProdEnv({
    startupKitLocation,
    username,
    wait: flags.wait ?? false,
    timeouts: timeouts(flags),
    ...(flags.python ? { python: flags.python } : {}),
  })
  return execute(flags, recipe, env, ['stopping (a submitted job goes on running on the federation)'])
}

async function execute(
  flags: RunFlags,
  recipe: FedAvgRecipeWithHE,
  env: Parameters<FedAvgRecipeWithHE['execute']>[0],
  messages: string[],
): Promise<ExitCodeValue> {
  const renderer = createRunRenderer(renderMode(flags.json ?? false))
  const stop = stopOnSignals(messages)
  let run: JobRun
  try {
    run = await recipe.execute(env, { signal: stop.signal, onEvent: renderer.onEvent })
  } finally {
    renderer.done()
    stop.dispose()
  }
  printRunSummary(run, flags.json ?? false)
  const followed = run.status.startsWith('FINISHED')
  return !followed || run.completed ? ExitCode.ok : ExitCode.failed
}
