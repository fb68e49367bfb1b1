import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  Parser,
  parseDocument,
  visit,
} from 'yaml'
import type { Finding } from './findings.js'
import type { SourceMap } from './source.js'

/**
 * What PyYAML's `safe_load` (NVFlare's loader) refuses and the `yaml` package would let through: tags other
 * than the standard ones (`!!python/object/apply:os.system` is dropped silently by `yaml`), and merge keys
 * (`<<`) whose value is not a mapping or a list of mappings.
 */

const YAML_TAG = 'tag:yaml.org,2002:'
/**
 * The tags SafeConstructor has a constructor for (PyYAML 6: `yaml.SafeLoader.yaml_constructors`), and the
 * kind of node each one takes (`!!seq {x: 1}` is refused: "expected a sequence node, but found mapping").
 */
const SAFE_TAGS = new Map<string, 'scalar' | 'seq' | 'map'>([
  ...['null', 'bool', 'int', 'float', 'binary', 'timestamp', 'str'].map(
    (t) => [YAML_TAG + t, 'scalar'] as const,
  ),
  ...['seq', 'omap', 'pairs'].map((t) => [YAML_TAG + t, 'seq'] as const),
  ...['map', 'set'].map((t) => [YAML_TAG + t, 'map'] as const),
])
/** `! value`: the non-specific tag, resolved as if there were none. */
const NON_SPECIFIC = '!'
const MERGE_TAG = `${YAML_TAG}merge`
/** Enough problems to show what is wrong without printing thousands of lines. */
const MAX_REPORTED = 20

const shownTag = (tag: string) => (tag.startsWith(YAML_TAG) ? `!!${tag.slice(YAML_TAG.length)}` : tag)

/**
 * Every node with a tag safe_load would refuse (`!!merge` is only accepted on a key, as PyYAML does), or a
 * standard tag on the wrong kind of node. A scalar tagged `!` is resolved as if untagged, as PyYAML does.
 */
export function tagProblems(doc: Document, text: string, source: SourceMap, lines: LineCounter): Finding[] {
  const bad: { node: Node; message: string }[] = []
  const check = (key: unknown, node: Node) => {
    const tag = node.tag
    if (tag === undefined || (tag === MERGE_TAG && key === 'key')) return
    if (tag === NON_SPECIFIC) return resolveNonSpecific(node)
    const kind = SAFE_TAGS.get(tag)
    const found = isMap(node) ? 'map' : isSeq(node) ? 'seq' : 'scalar'
    const message =
      kind === undefined
        ? `the YAML tag ${shownTag(tag)} is not allowed: only the standard tags (${[...SAFE_TAGS.keys()].map(shownTag).join(', ')}) are, as with PyYAML's safe_load, which NVFlare reads project files with`
        : kind === found
          ? undefined
          : `the YAML tag ${shownTag(tag)} takes a ${KIND_NAMES[kind]}, but the value is a ${KIND_NAMES[found]}`
    if (message && bad.length < MAX_REPORTED) bad.push({ node, message })
  }
  visit(doc, { Scalar: check, Map: check, Seq: check })
  if (bad.length === 0) return []
  const tagOffsets = tagTokenOffsets(text)
  return bad.map(({ node, message }) => {
    const start = node.range?.[0] ?? 0
    const at = tagOffsets.filter((offset) => offset <= start).pop() ?? start
    return { path: source.pathAt(start), pos: lines.linePos(at), message }
  })
}

const KIND_NAMES = { scalar: 'single value', seq: 'list', map: 'mapping' } as const

/** `! '5'` is 5 in PyYAML: the non-specific tag resolves the text as a plain scalar would be. */
function resolveNonSpecific(node: Node): void {
  node.tag = undefined
  if (!isScalar(node) || typeof node.value !== 'string') return
  const plain = parseDocument(node.value).contents
  if (isScalar(plain) && plain.type === 'PLAIN' && plain.source === node.value) node.value = plain.value
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
