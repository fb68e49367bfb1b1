import type { z } from 'zod'

/** One problem of a zod parse: where (the key path below the value parsed) and what. */
export interface IssueLine {
  path: PropertyKey[]
  message: string
}

/**
 * The problems of a zod error, one per issue. A union none of whose branches matched is described by
 * its closest branch (the only one with the fewest problems: `{ classPath: "a", args: 5 }` is "args:
 * must be an object …", not "needs exactly one of …"); when no branch is closest, by its own message.
 */
export function issueLines(issues: readonly z.core.$ZodIssue[], at: PropertyKey[] = []): IssueLine[] {
  return issues.flatMap((issue): IssueLine[] => {
    const path = [...at, ...issue.path]
    if (issue.code === 'unrecognized_keys') {
      return [{ path, message: `unknown option(s) ${issue.keys.join(', ')}` }]
    }
    if (issue.code === 'invalid_union') {
      const closest = closestBranch(issue.errors)
      if (closest !== undefined) return issueLines(closest, path)
    }
    return [{ path, message: issue.message }]
  })
}

function closestBranch(branches: z.core.$ZodIssue[][]): z.core.$ZodIssue[] | undefined {
  const fewest = Math.min(...branches.map((b) => b.length))
  const closest = branches.filter((b) => b.length === fewest)
  return closest.length === 1 && fewest > 0 ? closest[0] : undefined
}

/** `key.path: message`, `(options)` for the options object itself. */
export function formatIssue({ path, message }: IssueLine, root = '(options)'): string {
  const key = path.length > 0 ? path.map(String).join('.') : root
  return `${key}: ${message}`
}

/** One line per problem: `key.path: message`. */
export function describeIssues(error: z.ZodError): string[] {
  return issueLines(error.issues).map((line) => formatIssue(line))
}
