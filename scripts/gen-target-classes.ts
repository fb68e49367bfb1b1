// Regenerates src/provision/targets/classes.generated.ts and allow-lists.generated.ts from the NVFlare
// reference output (test/fixtures/reference/nvflare-versions/<V>/): npm run gen:classes
import { writeFileSync } from 'node:fs'
import { targetAllowListsSource } from './target-allow-lists-source.js'
import { targetClassesSource } from './target-classes-source.js'

const targets = new URL('../src/provision/targets/', import.meta.url)
writeFileSync(new URL('classes.generated.ts', targets), targetClassesSource())
writeFileSync(new URL('allow-lists.generated.ts', targets), targetAllowListsSource())
console.log('wrote src/provision/targets/classes.generated.ts and allow-lists.generated.ts')
