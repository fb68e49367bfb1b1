import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { findImportCycles } from '../../scripts/import-cycles.js'
import { REPO } from '../helpers/paths.js'
import { useTempDir } from '../helpers/temp.js'

/** DESIGN.md: there are no import cycles under src/, type-only imports and dynamic imports included. */
describe('import cycles', () => {
  const tempDir = useTempDir('fedforge-cycles-')

  it('src/ has none', () => {
    expect(findImportCycles(REPO)).toEqual([])
  })

  it('the finder finds a cycle of type-only imports and one through a dynamic import', () => {
    const root = tempDir()
    mkdirSync(join(root, 'src', 'sub'), { recursive: true })
    const tsconfig = { compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }
    writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ ...tsconfig, include: ['src'] }))
    const files: Record<string, string> = {
      'a.ts': "import type { B } from './sub/b.js'\nexport type A = B[]\n",
      'sub/b.ts': "import type { A } from '../a.js'\nexport type B = { a?: A }\n",
      'c.ts':
        "import type { A } from './a.js'\nexport const c = async () => (await import('./d.js')).d\nexport type C = A\n",
      'd.ts': "import { c } from './c.js'\nexport const d = c\n",
      'e.ts':
        "import { c } from './c.js'\nimport type { B } from './sub/b.js'\nexport const e: [typeof c, B?] = [c]\n",
    }
    for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'src', name), text)
    const cycles = findImportCycles(root).map((c) => c.join(' -> '))
    expect(cycles.sort()).toEqual(['src/a.ts -> src/sub/b.ts', 'src/c.ts -> src/d.ts'])
  })
})
