// Finds import cycles among the TypeScript files under src/, type-only imports and re-exports included,
// with the compiler's own module resolution. `npx tsx scripts/import-cycles.ts` prints them; a test runs
// findImportCycles() and expects none.
import { dirname, relative, resolve } from 'node:path'
import ts from 'typescript'

/** The files each file under `root` imports (resolved, inside `root`). */
export function importGraph(root: string): Map<string, string[]> {
  const configPath = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json')
  if (!configPath) throw new Error(`no tsconfig.json above ${root}`)
  const config = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  )
  if (!config) throw new Error(`cannot read ${configPath}`)
  const src = resolve(root, 'src')
  const files = config.fileNames.filter((f) => f.startsWith(`${src}/`) && /\.[cm]?ts$/.test(f))
  const graph = new Map<string, string[]>()
  for (const file of files) {
    const info = ts.preProcessFile(ts.sys.readFile(file) ?? '', true, true)
    const targets = info.importedFiles.flatMap(({ fileName }) => {
      const hit = ts.resolveModuleName(fileName, file, config.options, ts.sys).resolvedModule
      const path = hit?.resolvedFileName
      return hit && path?.startsWith(`${src}/`) && !hit.isExternalLibraryImport ? [path] : []
    })
    graph.set(file, [...new Set(targets)])
  }
  return graph
}

/** Every elementary cycle found by a depth-first search, each as a list of paths relative to `root`. */
export function findImportCycles(root: string): string[][] {
  const graph = importGraph(root)
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const cycles: string[][] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open')
        cycles.push(stack.slice(stack.indexOf(next)).map((f) => relative(root, f)))
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file)
  return cycles
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const root = resolve(dirname(new URL(import.meta.url).pathname), '..')
  const cycles = findImportCycles(root)
  for (const c of cycles) console.log(`cycle: ${[...c, c[0]].join(' -> ')}`)
  console.log(cycles.length === 0 ? 'no import cycles' : `${cycles.length} import cycle(s)`)
  process.exitCode = cycles.length === 0 ? 0 : 1
}
