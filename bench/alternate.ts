// npx tsx bench/alternate.ts [--rounds N] [--clients N] [--node PATH]... [--tree DIR]... [--key-source M]...
//   [--config NODE,TREE,METHOD]... [--cli]
// Provisioning at N clients (default 100) for every combination of Node binary (default: this one), source
// tree (default: this checkout; another checkout with its own dist/ compares before and after) and key source
// (default: the tree's default; `default` names it too), run one after another in turn, round after round, so
// that a loaded machine loads each alike. Each run is a fresh process: bench/provision-once.ts of that tree
// (in-process time), or with --cli the tree's built bin, start to exit. Prints each run, then the median and
// range per combination. Figures only; nothing is asserted.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchProjectYaml } from './project.js'

const all = (name: string) => process.argv.flatMap((a, i) => (a === name ? [process.argv[i + 1]!] : []))
const one = (name: string, fallback: number) => Number(all(name)[0] ?? fallback)
const rounds = one('--rounds', 5)
const clients = one('--clients', 100)
const cli = process.argv.includes('--cli')
const nodes = all('--node').length > 0 ? all('--node') : [process.execPath]
const trees =
  all('--tree').length > 0
    ? all('--tree').map((t) => resolve(t))
    : [fileURLToPath(new URL('..', import.meta.url))]
const methods = all('--key-source').length > 0 ? all('--key-source') : ['default']

interface Config {
  node: string
  tree: string
  method: string
}
// --config NODE,TREE,METHOD (repeatable) lists combinations one by one instead
const listed = all('--config').map((text) => {
  const [node = '', tree = '', method = 'default'] = text.split(',')
  return { node, tree: resolve(tree), method }
})
const configs: Config[] =
  listed.length > 0
    ? listed
    : nodes.flatMap((node) => trees.flatMap((tree) => methods.map((method) => ({ node, tree, method }))))
const nodeVersion = (node: string) =>
  spawnSync(node, ['-p', 'process.version + " OpenSSL " + process.versions.openssl'], {
    encoding: 'utf8',
  }).stdout.trim()
const label = (c: Config) => `${nodeVersion(c.node)} | ${c.tree} | ${c.method}`

const dir = mkdtempSync(join(tmpdir(), 'fedforge-alternate-'))
const projectFile = join(dir, 'project.yml')
writeFileSync(projectFile, benchProjectYaml(clients))
const smallFile = join(dir, 'small.yml')
writeFileSync(smallFile, benchProjectYaml(2))

/** Wall seconds of one run and the key source it names (when the tree reports one). */
function runOnce(
  c: Config,
  round: number,
  size = clients,
): { seconds: number; cpu: number | undefined; keySource: string } {
  const keyArgs = c.method === 'default' ? [] : ['--key-source', c.method]
  const ws = join(dir, `ws-${round}`)
  const args = cli
    ? [
        join(c.tree, 'bin/provision.js'),
        '-p',
        size === clients ? projectFile : smallFile,
        '-w',
        ws,
        '--json',
        ...keyArgs,
      ]
    : [
        join(c.tree, 'node_modules/tsx/dist/cli.mjs'),
        join(c.tree, 'bench/provision-once.ts'),
        String(clients),
        ...keyArgs,
      ]
  const start = performance.now()
  const run = spawnSync(c.node, args, { encoding: 'utf8', cwd: c.tree })
  const elapsed = (performance.now() - start) / 1000
  rmSync(ws, { recursive: true, force: true })
  if (run.status !== 0) throw new Error(`${label(c)} failed: ${run.stderr}`)
  const doc = JSON.parse(cli ? run.stdout : run.stdout.trim().split('\n').pop()!) as {
    keySource?: string
    wall?: number
    cpuMs?: number
  }
  return {
    seconds: cli ? elapsed : (doc.wall ?? 0) / 1000,
    cpu: doc.cpuMs === undefined ? undefined : doc.cpuMs / 1000,
    keySource: doc.keySource ?? '(not reported)',
  }
}

const times = configs.map(() => [] as number[])
const cpus = configs.map(() => [] as number[])
const sources = configs.map(() => new Set<string>())
console.log(
  `${clients} clients, ${rounds} rounds, ${cli ? 'CLI, whole process' : 'in-process (provision-once)'}`,
)
try {
  for (const c of configs) runOnce(c, -1, 2) // warm-up, not counted: tsx compiles and caches each tree once
  for (let r = 0; r < rounds; r++) {
    // each round starts one further along, so that no combination always follows the same one
    const order = configs.map((_, k) => (k + r) % configs.length)
    for (const i of order) {
      const c = configs[i]!
      const { seconds, cpu, keySource } = runOnce(c, r)
      times[i]!.push(seconds)
      if (cpu !== undefined) cpus[i]!.push(cpu)
      sources[i]!.add(keySource)
      const cpuText = cpu === undefined ? '' : `, CPU ${cpu.toFixed(2)} s`
      console.log(`round ${r + 1} | ${label(c)} | ${keySource} | ${seconds.toFixed(2)} s${cpuText}`)
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
const range = (t: number[]) => `${Math.min(...t).toFixed(2)}-${Math.max(...t).toFixed(2)}`
console.log(
  'Node | tree | key source asked | key source used | median wall s | min-max | median CPU s | min-max',
)
configs.forEach((c, i) => {
  const [t, u] = [times[i]!, cpus[i]!]
  const cpuText = u.length > 0 ? `${median(u).toFixed(2)} | ${range(u)}` : '- | -'
  console.log(
    `${label(c)} | ${[...sources[i]!].join(',')} | ${median(t).toFixed(2)} | ${range(t)} | ${cpuText}`,
  )
})
