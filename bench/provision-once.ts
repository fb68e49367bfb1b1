// One provisioning run in a fresh process, so that peak RSS belongs to this run alone.
// Usage: tsx bench/provision-once.ts <clients> [--zip]   → prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ProvisionEvent } from '../src/provision/events.js'
import { loadProject } from '../src/provision/project/load.js'
import { provision } from '../src/provision/provisioner.js'
import { benchProjectYaml } from './project.js'

const clients = Number(process.argv[2] ?? 100)
const zip = process.argv.includes('--zip')

const marks: { at: number; e: ProvisionEvent }[] = []
const workspace = mkdtempSync(join(tmpdir(), 'fedforge-bench-'))
const start = performance.now()
try {
  const project = loadProject(benchProjectYaml(clients), 'bench.yml')
  const loaded = performance.now()
  await provision({
    project,
    workspace,
    options: { zip },
    onEvent: (e) => marks.push({ at: performance.now(), e }),
  })
  const end = performance.now()
  console.log(
    JSON.stringify({
      clients,
      participants: project.participants.length,
      load: loaded - start,
      wall: end - start,
      stages: stages(loaded, end),
      rssMiB: process.resourceUsage().maxRSS / 1024,
    }),
  )
} finally {
  rmSync(workspace, { recursive: true, force: true })
}

/** Wall time of each builder's build step, and the key-generation window (which overlaps the others). */
function stages(from: number, end: number): Record<string, number> {
  const out: Record<string, number> = {}
  const builds = marks.filter((m) => m.e.type === 'stage' && m.e.stage === 'build')
  builds.forEach((m, i) => {
    const next = builds[i + 1]?.at ?? end
    if (m.e.type === 'stage') out[m.e.builder] = next - m.at
  })
  const keys = marks.filter((m) => m.e.type === 'key-generated')
  out['keys (overlaps)'] = keys.length > 0 ? keys[keys.length - 1]!.at - from : 0
  out['init+commit'] =
    end -
    from -
    Object.entries(out)
      .filter(([k]) => !k.startsWith('keys'))
      .reduce((a, [, v]) => a + v, 0)
  return out
}
