import type { BuilderFactory } from '../builder.js'
import { CAPABILITIES, type Capability, RUN_REQUIRES } from '../capabilities.js'
import { BUILTIN_BUILDERS } from './registry.js'

/**
 * The declared dependencies of a builders list, checked by the loader (rules-builders.ts, line:col) and
 * again by createBuilders for a Project made in code. Builders run by phase, and every provider has a
 * lower phase than the builders that require it (a registry test holds it), so a requirement is met
 * when some builder in the list provides it, wherever it is listed.
 */

/** A builder of the list: its factory and its index in `builders` (undefined when `--zip` added it). */
export interface ListedBuilder {
  factory: BuilderFactory
  index: number | undefined
}

/** A capability no listed builder provides, who needs it, and the builders that would provide it. */
export interface MissingCapability {
  capability: Capability
  /** The builders that require it, in list order; empty when only the run itself needs it. */
  neededBy: ListedBuilder[]
  providers: BuilderFactory[]
}

/** A builder listed before the providers of some of what it requires (it still runs after them here). */
export interface MisorderedBuilder {
  builder: ListedBuilder
  /** The first provider of each such requirement, in list order. */
  providers: ListedBuilder[]
}

const providersOf = (capability: Capability) =>
  BUILTIN_BUILDERS.filter((f) => f.provides.includes(capability))

/** Every capability the list needs and lacks, in the order of the capability table. */
export function missingCapabilities(listed: readonly ListedBuilder[]): MissingCapability[] {
  const provided = new Set(listed.flatMap((b) => b.factory.provides))
  const missing: MissingCapability[] = []
  for (const capability of Object.keys(CAPABILITIES) as Capability[]) {
    if (provided.has(capability)) continue
    const neededBy = listed.filter((b) => b.factory.requires.includes(capability))
    if (neededBy.length > 0 || RUN_REQUIRES.includes(capability)) {
      missing.push({ capability, neededBy, providers: providersOf(capability) })
    }
  }
  return missing
}

/**
 * Builders listed before every provider of something they require, among those NVFlare knows (it runs
 * builders in the order listed).
 */
export function misorderedBuilders(listed: readonly ListedBuilder[]): MisorderedBuilder[] {
  return listed.flatMap((builder, position) => {
    if (builder.factory.nvflarePaths.length === 0) return []
    const providers = builder.factory.requires
      .map((capability) => listed.findIndex((b) => b.factory.provides.includes(capability)))
      .filter((first) => first > position)
      .sort((a, b) => a - b)
      .flatMap((first) => listed[first] ?? [])
    return providers.length > 0 ? [{ builder, providers }] : []
  })
}

/** `signature (builders[2])`, or `signature (added by --zip)`. */
export function builderLabel(b: ListedBuilder): string {
  return `${b.factory.id} (${b.index === undefined ? 'added by --zip' : `builders[${b.index}]`})`
}

function andList(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
}

/** One line: what is missing, which builders need it, and what to add. */
export function describeMissing(m: MissingCapability): string {
  const who = m.neededBy.length === 0 ? 'every run' : andList(m.neededBy.map(builderLabel))
  const verb = m.neededBy.length > 1 ? 'need' : 'needs'
  const add = m.providers.map((p) => `${p.id} builder (path: ${p.nvflarePaths[0] ?? p.id})`).join(' or the ')
  return `${who} ${verb} ${CAPABILITIES[m.capability]}, which no builder in the list makes: add the ${add}`
}

/** One line for a builder listed before its providers. */
export function describeMisordered(m: MisorderedBuilder): string {
  const them = m.providers.length > 1 ? 'them' : 'it'
  return `${builderLabel(m.builder)} is listed before ${andList(m.providers.map(builderLabel))}, which make${m.providers.length > 1 ? '' : 's'} what it needs; it runs after ${them} here, but NVFlare's provision runs builders in the order listed`
}
