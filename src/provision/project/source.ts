import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
  type YAMLMap,
} from 'yaml'

export type KeyPath = readonly (string | number)[]

/** How deep a YAML error's key path goes (a file nested thousands deep must not print thousands of keys). */
const MAX_ERROR_PATH_DEPTH = 16

/** `participants[2].name` */
/** Keys written as `.key`; any other key is quoted: `["a key"]`. */
const SIMPLE_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/

export function formatPath(path: KeyPath): string {
  if (path.length === 0) return '(top level)'
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else if (!SIMPLE_KEY.test(part)) out += `[${JSON.stringify(part)}]`
    else out += out === '' ? part : `.${part}`
  }
  return out
}

/** Finds where a key path sits in the YAML document, falling back to the nearest parent that exists. */
export class SourceMap {
  constructor(
    readonly fileName: string,
    private readonly doc: Document | undefined,
    private readonly lines: LineCounter,
  ) {}

  position(path: KeyPath): { line: number; col: number } | undefined {
    if (!this.doc) return undefined
    for (let depth = path.length; depth >= 0; depth--) {
      const offset = this.offsetOf(path.slice(0, depth))
      if (offset !== undefined) return this.lines.linePos(offset)
    }
    return undefined
  }

  /** `participants[2].name (project.yml:14:11)`; `pos` overrides the position found from the path. */
  where(path: KeyPath, pos = this.position(path) ?? { line: 1, col: 1 }): string {
    return `${formatPath(path)} (${this.fileName}:${pos.line}:${pos.col})`
  }

  /** One problem line: key path, position, and what was expected. */
  problem(path: KeyPath, message: string, pos?: { line: number; col: number }): string {
    return `${this.where(path, pos)}: ${message}`
  }

  /** The key path of the deepest node at `offset` (where a YAML error was found). */
  pathAt(offset: number): KeyPath {
    const path: (string | number)[] = []
    let node: unknown = this.doc?.contents
    while ((isMap(node) || isSeq(node)) && path.length < MAX_ERROR_PATH_DEPTH) {
      if (isSeq(node)) {
        const index = node.items.findIndex((item) => covers(item, offset))
        if (index < 0) break
        path.push(index)
        node = node.items[index]
        continue
      }
      const pair = node.items.find((item) => covers(item.key, offset) || covers(item.value, offset))
      const key = pair ? keyText(pair.key) : undefined
      if (!pair || key === undefined) break
      path.push(key)
      if (covers(pair.key, offset)) break
      node = pair.value
    }
    return path
  }

  /** Where a key path is written; through aliases and merge keys, that is in the anchored node. */
  private offsetOf(path: KeyPath): number | undefined {
    let node: unknown = this.doc?.contents
    let keyOffset: number | undefined
    for (const part of path) {
      keyOffset = undefined
      node = this.resolve(node)
      if (isMap(node)) {
        const pair = this.pairOf(node, String(part), new Set())
        if (!pair) return undefined
        keyOffset = (pair.key as Node | null)?.range?.[0]
        node = pair.value
      } else if (isSeq(node) && typeof part === 'number') {
        node = node.items[part]
      } else {
        return undefined
      }
    }
    return keyOffset ?? (node as Node | null | undefined)?.range?.[0]
  }

  private resolve(node: unknown): unknown {
    return isAlias(node) && this.doc ? node.resolve(this.doc) : node
  }

  /**
   * The pair that gives `key` its value: the map's own, else the first merge source that has it (`<<: *a`,
   * `<<: [*a, *b]`: earlier sources win, as in PyYAML and the yaml package).
   */
  private pairOf(map: YAMLMap, key: string, seen: Set<unknown>): Pair | undefined {
    if (seen.has(map)) return undefined
    seen.add(map)
    const own = map.items.find((item) => !isMergeKey(item.key) && keyText(item.key) === key)
    if (own) return own
    for (const item of map.items) {
      if (!isMergeKey(item.key)) continue
      const value = this.resolve(item.value)
      const sources = isSeq(value) ? value.items.map((s) => this.resolve(s)) : [value]
      for (const merged of sources) {
        const pair = isMap(merged) ? this.pairOf(merged, key, seen) : undefined
        if (pair) return pair
      }
    }
    return undefined
  }
}

/** `<<` as a merge key (the yaml package resolves a plain `<<` to a symbol when merging is on). */
function isMergeKey(key: unknown): boolean {
  return isScalar(key) && typeof key.value === 'symbol'
}

function covers(node: unknown, offset: number): boolean {
  const range = (node as Node | null | undefined)?.range
  return range !== undefined && range !== null && range[0] <= offset && offset < range[1]
}

/** The text of a scalar key; undefined for a missing key or a collection used as a key (`[a]: x`). */
function keyText(key: unknown): string | undefined {
  if (isMergeKey(key)) return '<<'
  if (isScalar(key)) return String(key.value)
  return key === null || key === undefined || typeof key === 'object' ? undefined : String(key)
}
