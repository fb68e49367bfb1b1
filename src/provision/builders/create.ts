import { ProvisionError } from '../../errors.js'
import type { Builder } from '../builder.js'
import type { ProvisionOptions } from '../context.js'
import type { Project } from '../project/types.js'
import { findBuilder } from './registry.js'

/** Makes the builders of a project, ordered by phase whatever the order in the file. */
export async function createBuilders(project: Project, options: ProvisionOptions): Promise<Builder[]> {
  const specs = project.builders
    .map((spec, index) => ({ spec, index, factory: findBuilder(spec.id) }))
    .sort((a, b) => (a.factory?.phase ?? 0) - (b.factory?.phase ?? 0))
  const builders: Builder[] = []
  for (const { spec, index, factory } of specs) {
    if (!factory) throw new Error(`no builder registered as "${spec.id}"`)
    try {
      builders.push(await factory.create(spec.args))
    } catch (error) {
      if (error instanceof ProvisionError) {
        throw new ProvisionError(
          error.code,
          `${spec.where ?? `builders[${index}]`} (${spec.path}): ${error.message}`,
          {
            hint: error.hint,
            cause: error,
            exitCode: error.exitCode,
          },
        )
      }
      throw error
    }
  }
  // After signing, so that the zips hold signed kits; archiver is loaded only when zips are asked for.
  if (options.zip) builders.push((await import('./package.js')).createPackageBuilder())
  return builders
}
