// One provisioning run in a fresh process, so that peak RSS belongs to this run alone.
// Usage: tsx bench/provision-once.ts <clients> [--zip] [--key-source openssl|prime-search]
//   → prints one JSON line (with the key source the run used).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProvisionEvent } from '../src/provision/events.js'
import { parseKeyMethod } from '../src/provision/pki/key-source.js'
import { loadProject } from '../src/provision/project/load.js'
import { provision } from '../src/provision/provisioner.js'
import { benchProjectYaml } from './project.js'

const clients = Number(process.argv[2] ?? 100)
const zip = process.argv.includes('--zip')
const methodAt = process.argv.indexOf('--key-source')
const keySource = methodAt > 0 ? parseKeyMethod(process.argv[methodAt + 1], '--key-source') : undefined

/** What each builder's steps are counted as. */
const STAGE_OF: Record<string, string> = {
  workspace: 'files',
  static: 'files',
  docker: 'files',
  cert: 'certificates (incl. waiting for keys)',
  he: 'HE',
  signature: 'signatures',
  package: 'zip',
}

const marks: { at: number; e: ProvisionEvent }[] = []
const workspace = mkdtempSync(join(tmpdir(), 'fedforge-bench-'))
const start = performance.now()
try {
  const project = loadProject(benchProjectYaml(clients), 'bench.yml')
  const loaded = performance.now()
  const result = await provision({
    project,
    workspace,
    options: { zip },
    onEvent: (e) => marks.push({ at: performance.now(), e }),
    keySource,
  })
  const end = performance.now()
  console.log(
    JSON.stringify({
      clients,
      keySource: result.keySource,
      participants: project.participants.length,
      load: loaded - start,
      wall: end - start,
      stages: { 'project.yml': loaded - start, ...stages(loaded, end) },
      rssMiB: process.resourceUsage().maxRSS / 1024,
      // CPU time of every thread (main, key workers, libuv): unlike wall time, barely moved by other load
      cpuMs: cpuMs(),
    }),
  )
} finally {
  rmSync(workspace, { recursive: true, force: true })
}

function cpuMs(): number {
  const { userCPUTime, systemCPUTime } = process.resourceUsage()
  return (userCPUTime + systemCPUTime) / 1000
}

/**
 * Wall time between consecutive stage events, summed per stage (initialize + build + finalize of each
 * builder, then the state commit), and the key-generation window, which overlaps the others.
 */
function stages(from: number, end: number): Record<string, number> {
  const out: Record<string, number> = {}
  const steps = marks.filter((m) => m.e.type === 'stage')
  out['start (builders, lock)'] = (steps[0]?.at ?? end) - from
  steps.forEach((m, i) => {
    if (m.e.type !== 'stage') return
    const name = m.e.stage === 'commit' ? 'commit (state, rename)' : (STAGE_OF[m.e.builder] ?? m.e.builder)
    out[name] = (out[name] ?? 0) + (steps[i + 1]?.at ?? end) - m.at
  })
  const keys = marks.filter((m) => m.e.type === 'key-generated')
  out['keys (overlaps the others)'] = keys.length > 0 ? keys[keys.length - 1]!.at - from : 0
  return out
}
