import type { ProvisionContext } from './context.js'

/** The builder contract (DESIGN.md): initialize and build in order, finalize in reverse. */
export interface Builder {
  readonly name: string
  initialize?(ctx: ProvisionContext): void | Promise<void>
  build(ctx: ProvisionContext): void | Promise<void>
  finalize?(ctx: ProvisionContext): void | Promise<void>
}

/**
 * A registry entry: how a builder named in project.yml is made. `phase` fixes the run order whatever the
 * order in the file (signing must come after every file is written; zipping after signing).
 */
export interface BuilderFactory {
  /** Our short name (`cert`). */
  readonly id: string
  /** NVFlare class paths that map onto this builder. */
  readonly nvflarePaths: readonly string[]
  readonly phase: number
  readonly description: string
  create(args: Readonly<Record<string, unknown>>): Builder | Promise<Builder>
}
