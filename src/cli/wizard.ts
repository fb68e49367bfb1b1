import { describeHeParams } from '../he-builder/describe-params.js'
import { loadProject } from '../provision/project/load.js'
import type { ProjectFile } from '../provision/project/schema.js'
import type { Project } from '../provision/project/types.js'
import { writeProjectYaml } from '../provision/project/write.js'
import type { Prompter } from './prompts.js'
import { askAdmins } from './wizard/admin-steps.js'
import { askClients } from './wizard/client-steps.js'
import { askHe, askSecurity } from './wizard/security-steps.js'
import { askProject, askServer } from './wizard/server-steps.js'
import { type InitPreset, toProjectFile, type WizardSettings } from './wizard/settings.js'
import { askTarget } from './wizard/target-step.js'

export type { InitPreset, WizardSettings } from './wizard/settings.js'

export interface WizardResult {
  settings: WizardSettings
  /** The YAML shape of project.yml. */
  file: ProjectFile
  /** The commented project.yml text. */
  text: string
  /** The text loaded back: the final check, by the same code as `provision -p`. */
  project: Project
}

/**
 * Gathers a project step by step. Every answer is checked by the rules of project.yml loading as it is
 * given; at the end the whole file goes through loadProject. Presets (flags) skip their questions.
 */
export async function runWizard(p: Prompter, pre: InitPreset = {}): Promise<WizardResult> {
  const { name, description } = await askProject(p, pre)
  const nvflareVersion = await askTarget(p, pre)
  const server = await askServer(p, pre)
  const clients = await askClients(p, pre, [server.name])
  const taken = [server.name, ...clients.map((c) => c.name)]
  const admins = await askAdmins(p, pre, taken, { server: server.org, clients: clients.map((c) => c.org) })
  const connectionSecurity = await askSecurity(p, pre)
  const he = await askHe(p, pre)
  const settings: WizardSettings = {
    name,
    description,
    nvflareVersion,
    server: { ...server, connectionSecurity },
    clients,
    admins,
    he,
  }
  const file = toProjectFile(settings)
  const text = writeProjectYaml(file)
  return { settings, file, text, project: loadProject(text, 'project.yml') }
}

/** What the wizard will write, for the confirmation before writing. */
export function summaryLines(s: WizardSettings, output: string): string[] {
  const orgs = [...new Set(s.clients.map((c) => c.org))]
  const server = s.server
  const he = s.he
  return [
    `Project ${s.name}: ${s.description}`,
    `  NVFlare  ${s.nvflareVersion} (the kits are written for it)`,
    `  server   ${server.name} (org ${server.org}), ports ${server.fedLearnPort}/${server.adminPort}, ${server.connectionSecurity}` +
      (server.hostNames.length > 0 ? `, also ${server.hostNames.join(', ')}` : ''),
    `  clients  ${s.clients.length}: ${abbreviate(s.clients.map((c) => c.name))} (orgs ${abbreviate(orgs)})`,
    `  admins   ${s.admins.map((a) => `${a.name} (${a.role}, ${a.org})`).join(', ')}`,
    `  HE       ${he ? describeHeParams(he) : 'off'}`,
    `  file     ${output}`,
  ]
}

function abbreviate(list: string[]): string {
  return list.length <= 6
    ? list.join(', ')
    : `${list.slice(0, 3).join(', ')}, ..., ${list.slice(-2).join(', ')}`
}
