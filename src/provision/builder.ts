import type { Capability } from './capabilities.js'
import {
  type BuildContext,
  hasMaterials,
  isMaterial,
  type ProvisionContext,
  type RunContext,
} from './context.js'

/** The builder contract (DESIGN.md): initialize and build in order, finalize in reverse. */
export interface Builder {
  readonly name: string
  initialize?(ctx: ProvisionContext): void | Promise<void>
  build(ctx: RunContext): void | Promise<void>
  finalize?(ctx: ProvisionContext): void | Promise<void>
}

/**
 * A builder as its file writes it: build() gets exactly what its factory declares. The members are
 * function-typed properties, not methods, so that their parameters are checked strictly: a builder that
 * reads a material its factory does not require does not compile.
 */
export interface TypedBuilder<R extends Capability, P extends Capability> {
  readonly name: string
  readonly initialize?: (ctx: ProvisionContext) => void | Promise<void>
  readonly build: (ctx: BuildContext<R, P>) => void | Promise<void>
  readonly finalize?: (ctx: ProvisionContext) => void | Promise<void>
}

/**
 * A registry entry: how a builder named in project.yml is made, and what it requires and provides (the
 * loader checks that every requirement is provided by a builder that runs before it). `phase` fixes the
 * run order whatever the order in the file (signing must come after every file is written; zipping after
 * signing); every provider has a lower phase than the builders that require it.
 */
export interface BuilderFactory {
  /** Our short name (`cert`). */
  readonly id: string
  /** NVFlare class paths that map onto this builder. */
  readonly nvflarePaths: readonly string[]
  readonly phase: number
  readonly description: string
  readonly requires: readonly Capability[]
  readonly provides: readonly Capability[]
  create(args: Readonly<Record<string, unknown>>): Promise<Builder>
}

/** What a builder file declares; `create` is typed by `requires` and `provides` alone. */
export interface BuilderDefinition<R extends Capability, P extends Capability>
  extends Omit<BuilderFactory, 'requires' | 'provides' | 'create'> {
  readonly requires: readonly R[]
  readonly provides: readonly P[]
  create(
    args: Readonly<Record<string, unknown>>,
  ): TypedBuilder<NoInfer<R>, NoInfer<P>> | Promise<TypedBuilder<NoInfer<R>, NoInfer<P>>>
}

/**
 * A registry entry from its declaration. The builder it makes checks, before build(), that what it
 * requires is there, and after, that it provided its materials: the loader makes both true for every
 * project it accepts, so a failure here is a bug, never a user error.
 */
export function defineBuilder<const R extends Capability = never, const P extends Capability = never>(
  definition: BuilderDefinition<R, P>,
): BuilderFactory {
  return {
    ...definition,
    create: async (args) => bindBuilder(await definition.create(args), definition),
  }
}

function bindBuilder<R extends Capability, P extends Capability>(
  typed: TypedBuilder<R, P>,
  declared: { requires: readonly R[]; provides: readonly P[] },
): Builder {
  const { initialize, finalize } = typed
  return {
    name: typed.name,
    ...(initialize ? { initialize: (ctx: ProvisionContext) => initialize(ctx) } : {}),
    async build(ctx) {
      if (!hasMaterials(ctx, declared.requires)) {
        const missing = declared.requires.filter((k) => isMaterial(k) && ctx[k] === undefined)
        throw new Error(
          `builder "${typed.name}" runs without ${missing.join(', ')} (the loader let it through)`,
        )
      }
      await typed.build(ctx)
      const unprovided = declared.provides.filter((k) => isMaterial(k) && ctx[k] === undefined)
      if (unprovided.length > 0)
        throw new Error(`builder "${typed.name}" declares ${unprovided.join(', ')} but did not provide it`)
    },
    ...(finalize ? { finalize: (ctx: ProvisionContext) => finalize(ctx) } : {}),
  }
}
