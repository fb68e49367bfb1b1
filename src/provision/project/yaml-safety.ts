import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  Parser,
  visit,
} from 'yaml'
import type { Finding } from './rules.js'
import type { SourceMap } from './source.js'

/**
 * What PyYAML's `safe_load` (NVFlare's loader) refuses and the `yaml` package would let through: tags other
 * than the standard ones (`!!python/object/apply:os.system` is dropped silently by `yaml`), and merge keys
 * (`<<`) whose value is not a mapping or a list of mappings.
 */

const YAML_TAG = 'tag:yaml.org,2002:'
/** The tags SafeConstructor has a constructor for (PyYAML 6: `yaml.SafeLoader.yaml_constructors`). */
const SAFE_TAGS = new Set(
  ['null', 'bool', 'int', 'float', 'binary', 'timestamp', 'omap', 'pairs', 'set', 'str', 'seq', 'map'].map(
    (t) => YAML_TAG + t,
  ),
)
/** `! value`: the non-specific tag, resolved as if there were none. */
const NON_SPECIFIC = '!'
const MERGE_TAG = `${YAML_TAG}merge`
/** Enough problems to show what is wrong without printing thousands of lines. */
const MAX_REPORTED = 20

const shownTag = (tag: string) => (tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : tag)

/** Every node with a tag safe_load would refuse; `!!merge` is only accepted on a key, as PyYAML does. */
export function tagProblems(doc: Document, text: string, source: SourceMap, lines: LineCounter): Finding[] {
  const bad: { node: Node; tag: string }[] = []
  const check = (key: unknown, node: Node) => {
    const tag = node.tag
    if (tag === undefined || SAFE_TAGS.has(tag) || tag === NON_SPECIFIC) return
    if (tag === MERGE_TAG && key === 'key') return
    if (bad.length < MAX_REPORTED) bad.push({ node, tag })
  }
  visit(doc, { Scalar: check, Map: check, Seq: check })
  if (bad.length === 0) return []
  const tagOffsets = tagTokenOffsets(text)
  return bad.map(({ node, tag }) => {
    const start = node.range?.[0] ?? 0
    const at = tagOffsets.filter((offset) => offset <= start).pop() ?? start
    return {
      path: source.pathAt(start),
      pos: lines.linePos(at),
      message: `the YAML tag ${shownTag(tag)} is not allowed: only the standard tags (!!str, !!int, !!float, !!bool, !!null, !!seq, !!map, !!binary, !!timestamp, !!set, !!omap, !!pairs) are, as with PyYAML's safe_load, which NVFlare reads project files with`,
    }
  })
}

/** Offsets of every tag in the text, from the concrete syntax tree (the document tree has no tag offsets). */
function tagTokenOffsets(text: string): number[] {
  const offsets: number[] = []
  const stack: unknown[] = [...new Parser().parse(text)]
  while (stack.length > 0) {
    const item = stack.pop()
    if (Array.isArray(item)) stack.push(...item)
    else if (item !== null && typeof item === 'object') {
      const token = item as { type?: unknown; offset?: unknown }
      if (token.type === 'tag' && typeof token.offset === 'number') offsets.push(token.offset)
      else stack.push(...Object.values(item))
    }
  }
  return offsets.sort((a, b) => a - b)
}

/** A merge key's value must be a mapping, an alias of one, or a list of those (PyYAML's flatten_mapping). */
export function mergeProblems(doc: Document, source: SourceMap, lines: LineCounter): Finding[] {
  const problems: Finding[] = []
  const resolve = (node: unknown) => (isAlias(node) ? node.resolve(doc) : node)
  const report = (node: unknown, got: string) => {
    const start = (node as Node | null)?.range?.[0] ?? 0
    if (problems.length >= MAX_REPORTED) return
    problems.push({
      path: source.pathAt(start),
      pos: lines.linePos(start),
      message: `a merge key (<<) takes a mapping, an alias of one (*name), or a list of those; got ${got}`,
    })
  }
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'symbol') return
      const value = resolve(pair.value)
      if (isMap(value)) return
      if (!isSeq(value)) return report(pair.value, isScalar(value) ? 'a single value' : 'nothing')
      for (const item of value.items) {
        if (!isMap(resolve(item))) report(item, 'a list with an entry that is not a mapping')
      }
    },
  })
  return problems
}
