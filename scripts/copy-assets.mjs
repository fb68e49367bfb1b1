// After tsc: copies every non-TypeScript file under src/ (templates, .proto, .mjs, .py) to the same place
// under dist/, then removes what dist/ holds of sources that are gone (a deleted module's .js, .d.ts and
// .map, a deleted asset), so that a build never ships stale files. Nothing that a current source makes is
// removed, so a test that runs dist/ while another rebuilds it is not disturbed.
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const src = 'src'
const dist = 'dist'

const walk = (dir, visit) => {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry)
    if (statSync(full).isDirectory()) walk(full, visit)
    else visit(full)
  }
}

walk(src, (full) => {
  if (!full.endsWith('.ts')) cpSync(full, join(dist, relative(src, full)), { preserveTimestamps: true })
})

/** The source files a dist/ file may come from: itself (an asset), or the .ts that tsc compiled it from. */
const origins = (rel) => {
  const base = rel.replace(/(\.d\.ts|\.js\.map|\.d\.ts\.map|\.js)$/, '')
  return base === rel ? [rel] : [rel, `${base}.ts`]
}
walk(dist, (full) => {
  const rel = relative(dist, full)
  if (!origins(rel).some((o) => existsSync(join(src, o)))) rmSync(full)
})
