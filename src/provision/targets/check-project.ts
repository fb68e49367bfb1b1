import { ProvisionError } from '../../errors.js'
import { Layout } from '../layout.js'
import type { Project } from '../project/types.js'
import { kitTable } from './kit-table.js'
import { NVFLARE_VERSIONS, type NvflareVersion } from './version.js'

/** Refuses a project that asks for what the target version's kits cannot hold (before anything is written). */
export function checkProjectForTarget(project: Project, version: NvflareVersion): void {
  if (project.studies.length > 0 && !kitTable(version).studies) {
    const able = NVFLARE_VERSIONS.filter((v) => kitTable(v).studies)
    throw new ProvisionError(
      'target-lacks-studies',
      `studies: NVFlare ${version} has no studies (the server's local/${Layout.studyRegistry}), and the project defines ${project.studies.length}`,
      {
        hint: `provision with --nvflare-version ${able.join(' or ')}, or remove studies from the project file`,
      },
    )
  }
}
