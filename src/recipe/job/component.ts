/**
 * The NVFlare job-config component model: a component is a class path plus the arguments its constructor
 * was given. As NVFlare's job exporter does, an argument is written only when the value the component
 * would hold differs from the constructor's default (compared by value, in signature order).
 */

import { type ComponentClass, type JsonValue, REQUIRED } from '../../provision/targets/job-class.js'

export type { ComponentClass, JsonValue }
export { REQUIRED }

/** One component as written in config_fed_*.json. */
export interface Component {
  id?: string
  path: string
  args: Record<string, JsonValue>
}

/**
 * Builds a component from the values its constructor would store. `undefined` means "not given" (the
 * default applies). A value equal to the default is left out. An unknown parameter is a bug (throws).
 */
export function makeComponent(
  cls: ComponentClass,
  values: Readonly<Record<string, JsonValue | undefined>>,
  id?: string,
): Component {
  for (const key of Object.keys(values)) {
    if (!(key in cls.params)) throw new Error(`${cls.path} has no parameter "${key}"`)
  }
  const args: Record<string, JsonValue> = {}
  for (const [name, fallback] of Object.entries(cls.params)) {
    const value = values[name]
    if (value === undefined) {
      if (fallback === REQUIRED) throw new Error(`${cls.path} needs "${name}"`)
      continue
    }
    if (fallback !== REQUIRED && jsonEqual(value, fallback)) continue
    args[name] = value
  }
  return id === undefined ? { path: cls.path, args } : { id, path: cls.path, args }
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => jsonEqual(item, b[i] as JsonValue))
  }
  const keysA = Object.keys(a)
  const keysB = Object.keys(b)
  if (keysA.length !== keysB.length) return false
  return keysA.every((key) => key in b && jsonEqual(a[key] as JsonValue, b[key] as JsonValue))
}
