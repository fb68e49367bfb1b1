import { isMap, isSeq, LineCounter, type Document, type Node } from 'yaml'

export type KeyPath = readonly (string | number)[]

/** `participants[2].name` */
export function formatPath(path: KeyPath): string {
  if (path.length === 0) return '(top level)'
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
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

  /** `participants[2].name (project.yml:14:11)` */
  where(path: KeyPath): string {
    const pos = this.position(path)
    const at = pos ? `${this.fileName}:${pos.line}:${pos.col}` : this.fileName
    return `${formatPath(path)} (${at})`
  }

  /** One problem line: key path, position, and what was expected. */
  problem(path: KeyPath, message: string): string {
    return `${this.where(path)}: ${message}`
  }

  private offsetOf(path: KeyPath): number | undefined {
    let node: unknown = this.doc?.contents
    let keyOffset: number | undefined
    for (const part of path) {
      keyOffset = undefined
      if (isMap(node)) {
        const pair = node.items.find((item) => keyText(item.key) === String(part))
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
}

function keyText(key: unknown): string | undefined {
  if (key && typeof key === 'object' && 'value' in key) return String((key as { value: unknown }).value)
  return key === null || key === undefined ? undefined : String(key)
}
