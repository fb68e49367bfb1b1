import type { Prompter } from '../prompts.js'
import { ask } from './ask.js'
import { orgFor, parseCount, parseName, parseOrg, parseOrgs, parsePattern, splitList } from './parse.js'
import { DEFAULTS, type InitPreset } from './settings.js'

export interface ClientSettings {
  name: string
  org: string
}

/** The clients: a count with a name pattern (the default), or names one by one. */
export async function askClients(p: Prompter, pre: InitPreset, taken: string[]): Promise<ClientSettings[]> {
  if (pre.clientNames !== undefined) return namedClients(p, pre, taken)
  if (pre.clients !== undefined || pre.clientPattern !== undefined) return patternClients(p, pre, taken)
  const mode = await p.select({
    message: 'How do you want to name the clients (one per site that trains)?',
    choices: [
      { value: 'pattern', name: 'a number of clients and a name pattern (site-1, site-2, ...)' },
      { value: 'one-by-one', name: 'type each name' },
    ] as const,
    default: 'pattern',
  })
  return mode === 'pattern' ? patternClients(p, pre, taken) : oneByOne(p, taken)
}

async function patternClients(p: Prompter, pre: InitPreset, taken: string[]): Promise<ClientSettings[]> {
  const count = await ask(p, {
    message: 'Number of clients',
    default: String(DEFAULTS.clients),
    parse: parseCount,
    preset: pre.clients,
    flag: '--clients',
  })
  const names = await ask(p, {
    message: 'Client name pattern ({n} is the client number)',
    default: DEFAULTS.clientPattern,
    parse: parsePattern(count, taken),
    preset: pre.clientPattern,
    flag: '--client-pattern',
  })
  return withOrgs(p, pre, names)
}

async function withOrgs(p: Prompter, pre: InitPreset, names: string[]): Promise<ClientSettings[]> {
  const orgs = await ask(p, {
    message: 'Orgs of the clients: one org for all, or one per client (comma-separated)',
    default: names.length <= 10 ? names.map(orgFor).join(', ') : 'sites',
    parse: parseOrgs(names.length),
    preset: pre.orgs,
    flag: '--orgs',
  })
  return names.map((name, i) => ({ name, org: orgs[i]! }))
}

/** `--client-names a,b,c`: each name checked like a typed one. */
async function namedClients(p: Prompter, pre: InitPreset, taken: string[]): Promise<ClientSettings[]> {
  const names: string[] = []
  for (const name of splitList(pre.clientNames ?? '')) {
    names.push(
      await ask(p, {
        message: 'Client name',
        default: '',
        parse: parseName('client', [...taken, ...names]),
        preset: name,
        flag: '--client-names',
      }),
    )
  }
  if (names.length === 0) return oneByOne(p, taken)
  return withOrgs(p, pre, names)
}

async function oneByOne(p: Prompter, taken: string[]): Promise<ClientSettings[]> {
  const clients: ClientSettings[] = []
  do {
    const used = [...taken, ...clients.map((c) => c.name)]
    const name = await ask(p, {
      message: `Name of client ${clients.length + 1}`,
      default: freeName((n) => `site-${n}`, used),
      parse: parseName('client', used),
      flag: '--client-names',
    })
    const org = await ask(p, {
      message: `Org of ${name}`,
      default: orgFor(name),
      parse: parseOrg,
      flag: '--orgs',
    })
    clients.push({ name, org })
  } while (await p.confirm({ message: 'Add another client?', default: clients.length < DEFAULTS.clients }))
  return clients
}

/** The first name `make(n)` (n = 1, 2, ...) that is not taken (without case). */
export function freeName(make: (n: number) => string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()))
  let n = 1
  while (lower.has(make(n).toLowerCase())) n++
  return make(n)
}
