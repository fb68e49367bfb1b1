import { resolve } from 'node:path'
import type { Command } from 'commander'
import { ExitCode, type ExitCodeValue } from '../../errors.js'
import type { PocStatus } from '../../recipe/envs/poc-control.js'
import { renderMode } from '../render.js'
import { createRunRenderer } from '../render-run.js'
import { action, out } from '../run.js'
import { stopOnSignals } from '../stop-signals.js'

interface PocFlags {
  workspace: string
  python?: string
  registrationTimeout?: number
  json?: boolean
}

const WORKSPACE_HELP = 'a prod_NN folder, or the project (or workspace) whose newest prod_NN is meant'

/** `provision poc start|stop|status -w DIR`: a provisioned prod_NN run locally, as a PoC federation. */
export function registerPoc(program: Command): void {
  const poc = program
    .command('poc')
    .description('Run the kits of a prod_NN on this machine: start, stop, status (a local PoC federation)')
  poc
    .command('start')
    .description('start every server and client kit (server first) and wait until every client registered')
    .requiredOption('-w, --workspace <dir>', WORKSPACE_HELP)
    .option('--python <path>', 'the interpreter that runs NVFlare (default: $FEDFORGE_PYTHON, else python3)')
    .option('--registration-timeout <s>', 'seconds for every client to register (default 180)', Number)
    .option('--json', 'print the status as JSON')
    .action(action(runStart))
  poc
    .command('stop')
    .description('stop every kit of the prod_NN and its job processes')
    .requiredOption('-w, --workspace <dir>', WORKSPACE_HELP)
    .option('--json', 'print what was stopped as JSON')
    .action(action(runStop))
  poc
    .command('status')
    .description('list what runs: pid, kit, registered or not')
    .requiredOption('-w, --workspace <dir>', WORKSPACE_HELP)
    .option('--json', 'print the status as JSON')
    .action(action(runStatus))
}

const control = () => import('../../recipe/envs/poc-control.js')

async function runStart(flags: PocFlags): Promise<ExitCodeValue> {
  const { resolvePocDir, startPoc } = await control()
  const prodDir = resolvePocDir(resolve(flags.workspace))
  const renderer = createRunRenderer(renderMode(flags.json ?? false))
  const stop = stopOnSignals(['stopping the kits started so far…'])
  try {
    const status = await startPoc({
      prodDir,
      signal: stop.signal,
      onEvent: renderer.onEvent,
      ...(flags.python ? { python: flags.python } : {}),
      ...(flags.registrationTimeout !== undefined
        ? { timeouts: { registration: flags.registrationTimeout } }
        : {}),
    })
    renderer.done()
    printStatus(status, flags.json ?? false)
    return ExitCode.ok
  } finally {
    renderer.done()
    stop.dispose()
  }
}

async function runStop(flags: PocFlags): Promise<ExitCodeValue> {
  const { resolvePocDir, stopPoc } = await control()
  const result = await stopPoc(resolvePocDir(resolve(flags.workspace)))
  if (flags.json) out(JSON.stringify(result, null, 2))
  else {
    const ran = result.stopped.filter((k) => k.pids.length > 0)
    out(ran.length === 0 ? `nothing was running in ${result.prodDir}` : `stopped in ${result.prodDir}:`)
    for (const k of ran) out(`  ${k.name}: pid ${k.pids.join(', ')}`)
    if (result.left.length > 0) out(`still running: pid ${result.left.join(', ')}`)
  }
  return result.left.length === 0 ? ExitCode.ok : ExitCode.failed
}

async function runStatus(flags: PocFlags): Promise<ExitCodeValue> {
  const { pocStatus, resolvePocDir } = await control()
  printStatus(pocStatus(resolvePocDir(resolve(flags.workspace))), flags.json ?? false)
  return ExitCode.ok
}

function printStatus(status: PocStatus, json: boolean): void {
  if (json) {
    out(JSON.stringify(status, null, 2))
    return
  }
  out(`${status.prodDir}:`)
  const width = Math.max(...status.kits.map((k) => k.name.length))
  for (const k of status.kits) {
    const pids = k.pids.length > 0 ? `pid ${k.pids.join(', ')}` : 'not running'
    const registered = k.registered === null ? '' : k.registered ? ', registered' : ', not registered'
    out(`  ${k.name.padEnd(width)}  ${k.type}  ${pids}${registered}`)
  }
}
