import { KNOWN_ROLES } from '../../provision/project/names.js'
import type { Prompter } from '../prompts.js'
import { ask } from './ask.js'
import { freeName } from './client-steps.js'
import { parseName, parseOrg } from './parse.js'
import { DEFAULTS, type InitPreset } from './settings.js'

export interface AdminSettings {
  name: string
  org: string
  role: string
}

const ROLE_HELP: Record<string, string> = {
  project_admin: 'everything, in every org',
  org_admin: 'manages the sites of their org',
  lead: 'submits and manages jobs',
  member: 'views only',
}

/** The project admin (required), then as many other admins as wanted. */
export async function askAdmins(
  p: Prompter,
  pre: InitPreset,
  taken: string[],
  orgs: { server: string; clients: string[] },
): Promise<AdminSettings[]> {
  const name = await ask(p, {
    message: 'E-mail of the project admin (logs in to the admin console with full rights)',
    default: freeName((n) => (n === 1 ? DEFAULTS.admin : `admin${n}@example.com`), taken),
    parse: parseName('admin', taken),
    preset: pre.admin,
    flag: '--admin',
  })
  const org = await ask(p, {
    message: `Org of ${name}`,
    default: orgs.server,
    parse: parseOrg,
    preset: pre.adminOrg,
    flag: '--admin-org',
  })
  const admins: AdminSettings[] = [{ name, org, role: 'project_admin' }]
  while (await p.confirm({ message: 'Add another admin?', default: false })) {
    admins.push(
      await askOtherAdmin(p, [...taken, ...admins.map((a) => a.name)], orgs.clients[0] ?? orgs.server),
    )
  }
  return admins
}

async function askOtherAdmin(p: Prompter, taken: string[], org: string): Promise<AdminSettings> {
  const name = await ask(p, {
    message: 'E-mail of the admin',
    default: freeName((n) => `admin${n}@example.com`, taken),
    parse: parseName('admin', taken),
    flag: '--admin',
  })
  const adminOrg = await ask(p, {
    message: `Org of ${name}`,
    default: org,
    parse: parseOrg,
    flag: '--admin-org',
  })
  const role = await p.select({
    message: `Role of ${name}`,
    choices: KNOWN_ROLES.map((r) => ({ value: r, name: `${r}: ${ROLE_HELP[r]}` })),
    default: 'org_admin',
  })
  return { name, org: adminOrg, role }
}
