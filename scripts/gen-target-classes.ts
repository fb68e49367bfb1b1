// Regenerates src/provision/targets/classes.generated.ts from the NVFlare reference output
// (test/fixtures/reference/nvflare-versions/<V>/{classes,allow-list-classes}.txt): npm run gen:classes
import { writeFileSync } from 'node:fs'
import { targetClassesSource } from './target-classes-source.js'

const out = new URL('../src/provision/targets/classes.generated.ts', import.meta.url)
writeFileSync(out, targetClassesSource())
console.log('wrote src/provision/targets/classes.generated.ts')
