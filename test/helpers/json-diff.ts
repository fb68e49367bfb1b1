/** Where two parsed JSON values differ, one line per key path (`a.b[2].c: ours 1, theirs 2`); [] when equal. */
export function jsonDiff(ours: unknown, theirs: unknown, path = ''): string[] {
  const here = path || '(top)'
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    const out: string[] = []
    for (let i = 0; i < Math.max(ours.length, theirs.length); i++) {
      if (i >= ours.length) out.push(`${path}[${i}]: missing in ours (theirs ${JSON.stringify(theirs[i])})`)
      else if (i >= theirs.length) out.push(`${path}[${i}]: extra in ours (${JSON.stringify(ours[i])})`)
      else out.push(...jsonDiff(ours[i], theirs[i], `${path}[${i}]`))
    }
    return out
  }
  if (isObject(ours) && isObject(theirs)) {
    const out: string[] = []
    for (const key of new Set([...Object.keys(ours), ...Object.keys(theirs)])) {
      const at = path ? `${path}.${key}` : key
      if (!(key in ours)) out.push(`${at}: missing in ours (theirs ${JSON.stringify(theirs[key])})`)
      else if (!(key in theirs)) out.push(`${at}: extra in ours (${JSON.stringify(ours[key])})`)
      else out.push(...jsonDiff(ours[key], theirs[key], at))
    }
    return out
  }
  return Object.is(ours, theirs)
    ? []
    : [`${here}: ours ${JSON.stringify(ours)}, theirs ${JSON.stringify(theirs)}`]
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
