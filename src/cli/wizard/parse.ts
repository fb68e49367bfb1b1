import { isProvisionError } from '../../errors.js'
import { type HeParams, parseHeArgs } from '../../he-builder/params.js'
import { isHostOrIp, orgProblem, participantNameProblem } from '../../provision/project/names.js'
import { checkRules } from '../../provision/project/rules.js'
import { DEFAULTS } from './settings.js'

/**
 * Parsers of wizard answers (and of `provision init` flags). Each one applies the rule project.yml loading
 * applies, so an answer accepted here never fails loading.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: string }

/** The second parser on the first one's value, when the first succeeded. */
export function andThen<A, B>(r: Parsed<A>, next: (value: A) => Parsed<B>): Parsed<B> {
  return r.ok ? next(r.value) : r
}

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const bad = <T>(problem: string): Parsed<T> => ({ ok: false, problem })
const check = (value: string, problem: string | undefined): Parsed<string> =>
  problem ? bad(problem) : ok(value)

export function parseProjectName(value: string): Parsed<string> {
  return check(value, checkRules({ name: value }, []).problems[0]?.message)
}

export function parseText(value: string): Parsed<string> {
  return ok(value)
}

/** A participant name of this type, not already taken (names are compared without case, like the loader). */
export function parseName(type: 'server' | 'client' | 'admin', taken: readonly string[]) {
  return (value: string): Parsed<string> => {
    const problem = participantNameProblem(type, value)
    if (problem) return bad(problem)
    const clash = taken.find((t) => t.toLowerCase() === value.toLowerCase())
    return clash ? bad(`"${clash}" is already a participant; names must be unique`) : ok(value)
  }
}

export function parseOrg(value: string): Parsed<string> {
  return check(value, orgProblem(value))
}

/** Words separated by commas or spaces; empty gives []. */
export function splitList(value: string): string[] {
  return value.split(/[\s,]+/).filter((v) => v.length > 0)
}

export function parseHostList(value: string): Parsed<string[]> {
  const hosts = splitList(value)
  const wrong = hosts.find((h) => !isHostOrIp(h))
  return wrong === undefined
    ? ok(hosts)
    : bad(`expected host names or IP addresses separated by commas, got ${JSON.stringify(wrong)}`)
}

export function parsePort(value: string): Parsed<number> {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN
  return port >= 1 && port <= 65535
    ? ok(port)
    : bad(`expected a port number from 1 to 65535, got ${JSON.stringify(value)}`)
}

export function parseCount(value: string): Parsed<number> {
  const n = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN
  if (n >= 1 && n <= DEFAULTS.maxClients) return ok(n)
  return bad(`expected a number of clients from 1 to ${DEFAULTS.maxClients}, got ${JSON.stringify(value)}`)
}

/** `site-{n}` with `count` clients → their names, each checked as a client name. */
export function parsePattern(count: number, taken: readonly string[]) {
  return (value: string): Parsed<string[]> => {
    if (count > 1 && !value.includes('{n}')) {
      return bad(`expected a pattern with {n} (the client number), such as ${DEFAULTS.clientPattern}`)
    }
    const names = Array.from({ length: count }, (_, i) => value.replaceAll('{n}', String(i + 1)))
    for (const name of names) {
      const r = parseName('client', taken)(name)
      if (!r.ok) return bad(`${name}: ${r.problem}`)
    }
    return ok(names)
  }
}

/** One org for every client, or one per client. */
export function parseOrgs(count: number) {
  return (value: string): Parsed<string[]> => {
    const orgs = splitList(value)
    if (orgs.length !== 1 && orgs.length !== count) {
      return bad(`expected one org for every client, or ${count} orgs (one per client), got ${orgs.length}`)
    }
    const wrong = orgs.map(orgProblem).find((p) => p !== undefined)
    return wrong ? bad(wrong) : ok(orgs.length === 1 ? Array<string>(count).fill(orgs[0]!) : orgs)
  }
}

/** A default org for a client: its name with what an org cannot hold replaced by '_'. */
export function orgFor(client: string): string {
  return client.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 64)
}

/** HE arguments, checked by the HE builder's own validation (including the 128-bit security table). */
export function parseHe(args: Record<string, unknown>): Parsed<HeParams> {
  try {
    return ok(parseHeArgs(args))
  } catch (error) {
    if (!isProvisionError(error)) throw error
    const hint = error.hint ? ` (${error.hint})` : ''
    return bad(`${error.message.replace(/^he builder: /, '')}${hint}`)
  }
}

export function parseBitSizes(value: string): Parsed<number[]> {
  const parts = splitList(value.replace(/^\[|\]$/g, ''))
  const sizes = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN))
  if (parts.length === 0 || sizes.some(Number.isNaN)) {
    return bad(`expected bit sizes separated by commas, such as 60, 40, 40; got ${JSON.stringify(value)}`)
  }
  return ok(sizes)
}

export function parseBits(value: string): Parsed<number> {
  return /^\d{1,3}$/.test(value)
    ? ok(Number(value))
    : bad(`expected a whole number of bits, got ${JSON.stringify(value)}`)
}
