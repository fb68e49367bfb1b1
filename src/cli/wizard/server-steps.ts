import type { Prompter } from '../prompts.js'
import { ask } from './ask.js'
import { parseHostList, parseName, parseOrg, parsePort, parseProjectName, parseText } from './parse.js'
import { DEFAULTS, type InitPreset, type ServerSettings } from './settings.js'

/** Project name and description. */
export async function askProject(
  p: Prompter,
  pre: InitPreset,
): Promise<{ name: string; description: string }> {
  const name = await ask(p, {
    message: 'Project name (letters, digits, _ . -)',
    default: DEFAULTS.name,
    parse: parseProjectName,
    preset: pre.name,
    flag: '--name',
  })
  const description = await ask(p, {
    message: 'Description',
    default: DEFAULTS.description,
    parse: parseText,
    preset: pre.description,
    flag: '--description',
  })
  return { name, description }
}

/** The server: the host name clients dial, extra names for its certificate, ports and org. */
export async function askServer(
  p: Prompter,
  pre: InitPreset,
): Promise<Omit<ServerSettings, 'connectionSecurity'>> {
  p.note(
    'The server name is the DNS name every site and admin dials; localhost works only when all kits run on this machine.',
  )
  const name = await ask(p, {
    message: 'Server host name',
    default: DEFAULTS.server,
    parse: parseName('server', []),
    preset: pre.server,
    flag: '--server',
  })
  const hostNames = await ask(p, {
    message: 'Other host names or IP addresses of the server (comma-separated, empty for none)',
    default: '',
    parse: parseHostList,
    preset: pre.hostNames,
    flag: '--host-names',
  })
  const { fedLearnPort, adminPort } = await askPorts(p, pre)
  const org = await ask(p, {
    message: 'Organization that runs the server',
    default: DEFAULTS.serverOrg,
    parse: parseOrg,
    preset: pre.serverOrg,
    flag: '--server-org',
  })
  return { name, org, hostNames, fedLearnPort, adminPort }
}

async function askPorts(p: Prompter, pre: InitPreset): Promise<{ fedLearnPort: number; adminPort: number }> {
  const fedLearnPort = await ask(p, {
    message: 'Port the clients connect to (fed_learn_port)',
    default: String(DEFAULTS.port),
    parse: parsePort,
    preset: pre.port,
    flag: '--port',
  })
  const adminPort = await ask(p, {
    message: 'Port the admin consoles connect to (admin_port; the same port is fine)',
    default: String(fedLearnPort),
    parse: parsePort,
    preset: pre.adminPort,
    flag: '--admin-port',
  })
  return { fedLearnPort, adminPort }
}
