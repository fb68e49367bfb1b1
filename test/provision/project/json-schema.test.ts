import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { projectJsonSchema } from '../../../src/provision/project/json-schema.js'
import { REPO } from '../../helpers/paths.js'

describe('project.schema.json', () => {
  it('is what the zod schema generates (run `npm run schema` when this fails)', () => {
    expect(readFileSync(join(REPO, 'project.schema.json'), 'utf8')).toBe(projectJsonSchema())
  })

  it('describes participants with their NVFlare keys', () => {
    const schema = JSON.parse(projectJsonSchema()) as {
      required: string[]
      properties: Record<string, unknown>
    }
    expect(schema.required).toEqual(expect.arrayContaining(['api_version', 'name', 'participants']))
    expect(JSON.stringify(schema.properties['participants'])).toContain('fed_learn_port')
  })
})
