import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { loadProject } from '../../../src/provision/project/load.js'
import { provision } from '../../../src/provision/provisioner.js'

/** An HE project: server1, site-1 and site-2 (org nvidia), an admin; every builder NVFlare names. */
export function heProjectYaml(options: { he?: boolean; extra?: string } = {}): string {
  return `api_version: 3
name: he_project
participants:
  - { name: server1, type: server, org: nvidia, fed_learn_port: 8002, admin_port: 8003 }
  - { name: site-1, type: client, org: nvidia }
  - { name: site-2, type: client, org: nvidia }
  - { name: admin@nvidia.com, type: admin, org: nvidia, role: project_admin }
${options.extra ?? ''}builders:
  - path: nvflare.lighter.impl.workspace.WorkspaceBuilder
  - path: nvflare.lighter.impl.static_file.StaticFileBuilder
    args: { scheme: grpc }
  - path: nvflare.lighter.impl.cert.CertBuilder
${options.he === false ? '' : '  - path: nvflare.lighter.impl.he.HEBuilder\n'}  - path: nvflare.lighter.impl.signature.SignatureBuilder
`
}

export interface Central {
  /** A fresh copy of the centrally provisioned admin folder (project.yml + workspace/). */
  admin(): { dir: string; projectFile: string; workspace: string; prodDir: string }
  /** A fresh empty folder (a site machine). */
  site(): string
}

/**
 * Provisions the HE project centrally once per test file (beforeAll); each test gets its own copy of
 * the admin folder, so that approvals in one test never see another's state.
 */
export function useCentral(options: { he?: boolean } = {}): Central {
  let base = ''
  const dirs: string[] = []
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'fedforge-central-'))
    writeFileSync(join(base, 'project.yml'), heProjectYaml(options))
    await provision({ project: loadProject(heProjectYaml(options)), workspace: join(base, 'workspace') })
  })
  afterAll(() => {
    for (const d of [base, ...dirs]) rmSync(d, { recursive: true, force: true })
  })
  const fresh = () => {
    const d = mkdtempSync(join(tmpdir(), 'fedforge-dist-'))
    dirs.push(d)
    return d
  }
  return {
    admin() {
      const dir = fresh()
      cpSync(base, dir, { recursive: true })
      const projectDir = join(dir, 'workspace', 'he_project')
      return {
        dir,
        projectFile: join(dir, 'project.yml'),
        workspace: join(dir, 'workspace'),
        prodDir: join(projectDir, 'prod_00'),
      }
    },
    site() {
      const d = join(fresh(), 'site')
      mkdirSync(d)
      return d
    },
  }
}

/** Every regular file under `dir` (relative path → bytes). */
export function filesUnder(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name)
      const st = statSync(path)
      if (st.isDirectory()) walk(path)
      else if (st.isFile()) out.set(relative(dir, path), readFileSync(path))
    }
  }
  walk(dir)
  return out
}

/** Sorted `path mode` lines of a tree (folders end in /). */
export function treeListing(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name)
      const st = statSync(path)
      const mode = (st.mode & 0o777).toString(8)
      out.push(`${relative(dir, path)}${st.isDirectory() ? '/' : ''} ${mode}`)
      if (st.isDirectory()) walk(path)
    }
  }
  walk(dir)
  return out
}
