// Regenerates project.schema.json from the zod schema: npm run schema
import { writeFileSync } from 'node:fs'
import { projectJsonSchema } from '../src/provision/project/json-schema.js'

writeFileSync(new URL('../project.schema.json', import.meta.url), projectJsonSchema())
console.log('wrote project.schema.json')
