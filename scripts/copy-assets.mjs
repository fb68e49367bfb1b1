// Copies every non-TypeScript file under src/ (templates, .proto) to the same place under dist/.
import { cpSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const src = 'src'
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry)
    if (statSync(full).isDirectory()) walk(full)
    else if (!full.endsWith('.ts'))
      cpSync(full, join('dist', relative(src, full)), { preserveTimestamps: true })
  }
}
walk(src)
