/**
 * How the per-version job tables describe an NVFlare component class: its class path and its constructor
 * parameters with their defaults. The recipe's job writer (src/recipe/job/component.ts) builds components
 * from these, writing an argument only when it differs from the default, as NVFlare's job exporter does.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** Marks a constructor parameter without a default: always written when given. */
export const REQUIRED: unique symbol = Symbol('required')

/** A component class: its NVFlare class path and its constructor parameters with their defaults. */
export interface ComponentClass {
  readonly path: string
  /** Parameter name → default (Python `None` is `null`), in signature order. */
  readonly params: Readonly<Record<string, JsonValue | typeof REQUIRED>>
}
