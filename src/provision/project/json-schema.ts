import { z } from 'zod'
import { projectFileSchema } from './schema.js'

/** project.schema.json, generated from the zod schema (editors use it to check project.yml as you type). */
export function projectJsonSchema(): string {
  const schema = z.toJSONSchema(projectFileSchema, { target: 'draft-2020-12', io: 'input' })
  const doc = {
    ...schema,
    $id: 'https://github.com/fedforge/fedforge/project.schema.json',
    title: 'NVIDIA FLARE project file (fedforge)',
    description:
      'project.yml for `provision -p`; names and cross-field rules are checked by fedforge itself.',
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}
