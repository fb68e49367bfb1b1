import { ExitCode, ProvisionError } from '../../errors.js'
import type { Builder } from '../builder.js'
import type { ProvisionOptions } from '../context.js'
import type { BuilderSpec, Project } from '../project/types.js'
import { describeMissing, type ListedBuilder, missingCapabilities } from './dependencies.js'
import { ZIP_BUILDER_ID } from './package.js'
import { findBuilder } from './registry.js'

/** The builders of a project, plus the zip builder with `--zip`, each with its factory. */
type Listed = ListedBuilder & { spec: BuilderSpec }

function listBuilders(project: Project, options: ProvisionOptions): Listed[] {
  const listed = project.builders.map((spec, index): Listed => {
    const factory = findBuilder(spec.id)
    if (!factory) {
      throw new ProvisionError(
        'unknown-builder',
        `builders[${index}]: no builder is registered as "${spec.id}"`,
        {
          hint: 'Load the project with loadProject or loadProjectFile, which check builder names.',
        },
      )
    }
    return { spec, index, factory }
  })
  listed.forEach((b, i) => {
    const first = listed.findIndex((other) => other.factory === b.factory)
    if (first < i) {
      throw new ProvisionError(
        'duplicate-builder',
        `builders[${i}]: builder "${b.factory.id}" is already listed at builders[${first}]`,
      )
    }
  })
  const zip = findBuilder(ZIP_BUILDER_ID)
  if (options.zip && zip && !listed.some((b) => b.factory === zip)) {
    listed.push({ spec: { id: zip.id, path: zip.id, args: {} }, index: undefined, factory: zip })
  }
  return listed
}

/**
 * Makes the builders of a project, ordered by phase whatever the order in the file. A list that lacks
 * what a builder requires is refused here too (the loader refuses it first, at its line:col), so that a
 * Project made in code fails before any write, never half-way through a run.
 */
export async function createBuilders(project: Project, options: ProvisionOptions): Promise<Builder[]> {
  const listed = listBuilders(project, options)
  const missing = missingCapabilities(listed)
  if (missing.length > 0) {
    throw new ProvisionError(
      'builder-dependencies',
      `the builders of project "${project.name}" are incomplete`,
      {
        problems: missing.map(describeMissing),
        exitCode: ExitCode.badInput,
        hint: 'Add the builders named above to the project (see `provision -g` for a complete list).',
      },
    )
  }
  const builders: Builder[] = []
  for (const { spec, index, factory } of [...listed].sort((a, b) => a.factory.phase - b.factory.phase)) {
    try {
      builders.push(await factory.create(spec.args))
    } catch (error) {
      if (!(error instanceof ProvisionError)) throw error
      throw locatedError(
        error,
        `${spec.where ?? (index === undefined ? '--zip' : `builders[${index}]`)} (${spec.path})`,
      )
    }
  }
  return builders
}

/** A builder's ProvisionError with where its entry is in front; code, hint, exit code and problems kept. */
export function locatedError(error: ProvisionError, where: string): ProvisionError {
  return new ProvisionError(error.code, `${where}: ${error.message}`, {
    hint: error.hint,
    cause: error,
    exitCode: error.exitCode,
    problems: error.problems,
  })
}
