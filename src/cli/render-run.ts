import type { RunEvent } from '../recipe/envs/runtime/events.js'
import type { JobRun } from '../recipe/spec.js'
import type { RenderMode } from './render.js'
import { err, out } from './run.js'

/**
 * Progress of a PoC / prod run on standard error: on a terminal one live line for the waits (waiting for
 * clients, round N of M), plain lines otherwise, nothing with --json.
 */
export function createRunRenderer(mode: RenderMode): { onEvent: (e: RunEvent) => void; done: () => void } {
  let live = false
  const clear = () => {
    if (live) process.stderr.write('\r\x1b[2K')
    live = false
  }
  const onEvent = (e: RunEvent) => {
    if (mode === 'json') return
    const status = liveLine(e)
    if (status !== undefined && mode === 'tty') {
      process.stderr.write(`\r\x1b[2K${status}`)
      live = true
      return
    }
    const line = status ?? describe(e)
    if (line === undefined) return
    clear()
    err(line)
  }
  return { onEvent, done: clear }
}

function liveLine(e: RunEvent): string | undefined {
  if (e.type === 'phase' && e.phase === 'registration') return 'waiting for clients to register…'
  if (e.type === 'registration') {
    return `waiting for clients: ${e.registered.length} of ${e.expected.length} registered (${e.registered.join(', ')})`
  }
  if (e.type === 'round') return `job ${e.jobId}: round ${e.round} of ${e.numRounds}`
  return undefined
}

function describe(e: RunEvent): string | undefined {
  switch (e.type) {
    case 'runtime':
      return `runtime: ${e.python} (${Object.entries(e.modules)
        .map(([m, v]) => `${m} ${v}`)
        .join(', ')})`
    case 'provisioned':
      return `kits: ${e.prodDir} (${e.reused ? 'reused' : 'provisioned'})`
    case 'kit-started':
      return `started ${e.kit} (process group ${e.pgid})`
    case 'clients':
      return `clients registered with the server: ${e.clients.join(', ') || 'none'}`
    case 'job-submitted':
      return `job ${e.jobId} submitted`
    case 'job-status':
      return `job ${e.jobId}: ${e.status}`
    case 'downloaded':
      return `result downloaded to ${e.path}`
    case 'stopping':
      return `stopping ${e.kits.join(', ')}…`
    case 'stopped':
      return e.left.length === 0
        ? `stopped ${e.kits.join(', ')}: no process left`
        : `still running after the stop: pid ${e.left.join(', ')}`
    case 'warning':
      return `warning: ${e.message}`
    default:
      return undefined
  }
}

/** The summary of a run on standard output (or the run as JSON). */
export function printRunSummary(run: JobRun, json: boolean): void {
  if (json) {
    out(JSON.stringify(run, null, 2))
    return
  }
  const rounds = run.rounds ? `, round ${run.rounds.round} of ${run.rounds.numRounds}` : ''
  out(`status: ${run.status} (job ${run.jobId}${rounds})`)
  for (const line of run.detail) out(`  ${line}`)
  if (!run.status.startsWith('FINISHED')) {
    out(`not followed: it runs on the federation (admin console: list_jobs; download_job ${run.jobId})`)
  }
  if (run.resultDir) out(`result: ${run.resultDir}`)
  if (run.globalModel) out(`global model: ${run.globalModel}`)
  else if (run.resultDir) out('global model: none in the result')
  const logs = [
    ...run.logs.kits.map((k) => `  ${k.name}: ${[k.log, k.jobLog].filter(Boolean).join(', ')}`),
    ...(run.logs.serverJob ? [`  server job: ${run.logs.serverJob}`] : []),
    ...(run.logs.driver ? [`  driver: ${run.logs.driver}`] : []),
  ]
  if (logs.length > 0) out(['logs:', ...logs].join('\n'))
  out(`phases: ${run.phases.map((p) => `${p.phase} ${p.seconds.toFixed(1)} s`).join(', ')}`)
  for (const warning of run.warnings) out(`warning: ${warning}`)
}
