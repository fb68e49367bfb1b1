import { type SpawnSyncReturns, spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { REPO } from '../helpers/paths.js'

/** The TypeScript block after `<!-- library-example` in README.md, verbatim. */
export function readmeLibraryExample(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8')
  const block = /<!-- library-example[^>]*-->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1]
  if (block === undefined) throw new Error('README.md has no ```ts block after <!-- library-example -->')
  return block
}

/**
 * The environment for a child npm: without the `npm_*` variables of an `npm test` around us (its
 * `npm_config_local_prefix` would point the child at this repository), but with the same cache, so that
 * the tarballs `npm ci` fetched for the repository are found there.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.toLowerCase().startsWith('npm_')) env[key] = value
  }
  const cache = process.env['npm_config_cache']
  if (cache) env['npm_config_cache'] = cache
  return env
}

/** Runs a command to completion; a non-zero exit throws with its output. */
export function run(cmd: string, args: string[], cwd: string, env = process.env): SpawnSyncReturns<string> {
  const result = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 300_000 })
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ?? ''}`
    throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${output}`)
  }
  return result
}

/**
 * `npm pack`s the repository into `dest` and returns the tarball's path. Scripts are skipped: the
 * tarball holds the dist/ that `npm ci` built (its `prepare`), because rebuilding dist/ here would
 * rewrite files that other test files are running at the same time.
 */
export function packRepo(dest: string): string {
  const out = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dest], REPO, npmEnv())
  const [packed] = JSON.parse(out.stdout) as { filename: string }[]
  if (!packed) throw new Error(`npm pack printed no tarball: ${out.stdout}`)
  return join(dest, packed.filename)
}

interface LockEntry {
  dev?: boolean
  [key: string]: unknown
}

/**
 * A consumer project in `dir` that depends on the tarball, installed with `npm ci`. Its lockfile pins
 * fedforge's dependencies to the versions of the repository's package-lock.json (its non-dev entries),
 * so npm needs no registry metadata and finds every tarball in the cache that the repository's own
 * `npm ci` filled: nothing is fetched on a machine where that ran.
 */
export function installConsumer(dir: string, tarball: string): void {
  const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as Record<string, unknown>
  const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>
  }
  const spec = `file:${tarball}`
  const deps = Object.entries(lock.packages).filter(([path, entry]) => path !== '' && entry.dev !== true)
  const consumer = { name: 'consumer', private: true, type: 'module', dependencies: { fedforge: spec } }
  const fedforge = {
    version: pkg['version'],
    resolved: spec,
    license: pkg['license'],
    dependencies: pkg['dependencies'],
    bin: pkg['bin'],
    engines: pkg['engines'],
  }
  const packages = { '': consumer, 'node_modules/fedforge': fedforge, ...Object.fromEntries(deps) }
  writeFileSync(join(dir, 'package.json'), JSON.stringify(consumer, null, 2))
  writeFileSync(
    join(dir, 'package-lock.json'),
    JSON.stringify({ name: 'consumer', lockfileVersion: 3, requires: true, packages }, null, 2),
  )
  const flags = ['--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts']
  run('npm', ['ci', ...flags], dir, npmEnv())
}
