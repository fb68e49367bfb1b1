import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { smallProjectYaml } from '../../helpers/projects.js'
import { runBin, snapshot } from '../../hostile/helpers.js'
import { describeRefusals, type RefusalCase } from './refusals.js'

/**
 * Issue 2's table: every invalid project file is refused by the built bin with exit code 2, a problem line
 * naming the key path and line:col, no stack trace, and the workspace left as it was (or never made).
 */

// Lines: 1 api_version, 2 name, 3 participants, 4-6 server, 7-9 site-1, 10-13 admin.
const BASE = smallProjectYaml('demo')
const SERVER_END = '    org: nvidia\n  - name: site-1'
/** BASE with extra properties in the server entry (they start at line 7). */
const serverWith = (props: string) => BASE.replace(SERVER_END, `    org: nvidia\n${props}\n  - name: site-1`)
const replace = (from: string, to: string) => BASE.replace(from, to)
/** BASE with text appended from line 14. */
const append = (more: string) => BASE + more

const BOMB = [
  'a: &a [x, x, x, x, x, x, x, x, x]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  'f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]',
  'g: [*f, *f, *f, *f, *f, *f, *f, *f, *f]',
].join('\n')

const STUDY = (name: string, client = 'site-1') =>
  `studies:\n  ${name}:\n    site_orgs:\n      org_a: [${client}]\n`
const api4 = (text: string) => text.replace('api_version: 3', 'api_version: 4')

const CASES: RefusalCase[] = [
  // Not a project file at all
  { name: 'an empty file', file: '', at: '(top level) (project.yml:1:1)', says: 'empty' },
  {
    name: 'a top-level list',
    file: '- name: a\n- name: b\n',
    at: '(top level) (project.yml:1:1)',
    says: 'got a list',
  },
  { name: 'a top-level scalar', file: 'hello\n', at: '(top level) (project.yml:1:1)', says: 'mapping' },
  {
    name: 'a NUL byte',
    file: replace('name: demo', 'name: de\0mo'),
    at: '(top level) (project.yml:2:9)',
    says: 'UTF-8',
  },
  {
    name: 'invalid UTF-8 bytes',
    file: Buffer.concat([Buffer.from('api_version: 3\nname: demo'), Buffer.from([0xff, 0xfe, 0x0a])]),
    at: '(top level) (project.yml:2:11)',
    says: 'UTF-8',
  },
  {
    name: 'a duplicate top-level key',
    file: append('name: other\n'),
    at: 'name (project.yml:14:1)',
    says: 'unique',
  },
  {
    name: 'a duplicate key in a participant',
    file: replace('    org: org_a', '    org: org_a\n    org: org_b'),
    at: 'participants[1].org (project.yml:10:5)',
    says: 'unique',
  },
  {
    name: 'a YAML syntax error',
    file: 'api_version: 3\nname: demo\nparticipants: [ {name: a\n',
    at: '(project.yml:4:1)',
    says: 'YAML error',
  },
  { name: 'a YAML alias bomb', file: BOMB, at: '(top level) (project.yml:1:1)', says: 'alias bomb' },
  // Top-level keys
  {
    name: 'no api_version',
    file: replace('api_version: 3\n', ''),
    at: 'api_version (project.yml:1:1)',
    says: 'missing',
  },
  {
    name: 'api_version 5',
    file: replace('api_version: 3', 'api_version: 5'),
    at: 'api_version (project.yml:1:1)',
    says: '3 or 4',
  },
  {
    name: 'api_version as a string',
    file: replace('api_version: 3', 'api_version: "3"'),
    at: 'api_version (project.yml:1:1)',
    says: '3 or 4',
  },
  {
    name: 'no project name',
    file: replace('name: demo\n', ''),
    at: 'name (project.yml:1:1)',
    says: 'missing',
  },
  {
    name: 'a project name that is a list',
    file: replace('name: demo', 'name: [a, b]'),
    at: 'name (project.yml:2:1)',
    says: 'project name',
  },
  {
    name: "'..' as the project name",
    file: replace('name: demo', 'name: ..'),
    at: 'name (project.yml:2:1)',
    says: 'project name',
  },
  {
    name: 'a project name with a /',
    file: replace('name: demo', 'name: a/b'),
    at: 'name (project.yml:2:1)',
    says: 'project name',
  },
  {
    name: 'a description that is a list',
    file: append('description: [1, 2]\n'),
    at: 'description (project.yml:14:1)',
    says: 'description',
  },
  {
    name: 'no participants',
    file: 'api_version: 3\nname: demo\n',
    at: 'participants (project.yml:1:1)',
    says: 'missing',
  },
  {
    name: 'participants as a mapping',
    file: 'api_version: 3\nname: demo\nparticipants:\n  server: x\n',
    at: 'participants (project.yml:3:1)',
    says: 'list of participants',
  },
  {
    name: 'a participant that is a string',
    file: append('  - just-a-name\n'),
    at: 'participants[3] (project.yml:14:5)',
    says: 'expected',
  },
  // Server count, names
  {
    name: 'no server',
    file: replace('  - name: server.example.com\n    type: server\n    org: nvidia\n', ''),
    at: 'participants (project.yml:3:1)',
    says: 'exactly one participant of type server',
  },
  {
    name: 'two servers',
    file: append('  - name: backup.example.com\n    type: server\n    org: nvidia\n'),
    at: 'participants[3].type (project.yml:15:5)',
    says: 'exactly one server',
  },
  {
    name: 'a duplicate name',
    file: append('  - name: site-1\n    type: client\n    org: org_b\n'),
    at: 'participants[3].name (project.yml:14:5)',
    says: 'already used',
  },
  {
    name: 'names differing only in case',
    file: append('  - name: SITE-1\n    type: client\n    org: org_b\n'),
    at: 'participants[3].name (project.yml:14:5)',
    says: 'only in case',
  },
  {
    name: "'..' in a client name",
    file: replace('name: site-1', 'name: ../evil'),
    at: 'participants[1].name (project.yml:7:5)',
    says: 'client name',
  },
  {
    name: 'a / in a client name',
    file: replace('name: site-1', 'name: site/one'),
    at: 'participants[1].name (project.yml:7:5)',
    says: 'client name',
  },
  {
    name: 'a NUL (escaped) in a client name',
    file: replace('name: site-1', 'name: "site\\0one"'),
    at: 'participants[1].name (project.yml:7:5)',
    says: 'client name',
  },
  {
    name: 'an absolute path as a client name',
    file: replace('name: site-1', 'name: /etc/passwd'),
    at: 'participants[1].name (project.yml:7:5)',
    says: 'client name',
  },
  {
    name: 'a 5,000-character name',
    file: replace('name: site-1', `name: ${'x'.repeat(5000)}`),
    at: 'participants[1].name (project.yml:7:5)',
    says: 'at most 64',
  },
  {
    name: 'a Windows device name (CON)',
    file: replace('name: site-1', 'name: CON'),
    at: 'participants[1].name (project.yml:7:5)',
    says: 'reserved on Windows',
  },
  {
    name: 'a Windows device name (lpt1.txt)',
    file: replace('name: site-1', 'name: lpt1.txt'),
    at: 'participants[1].name (project.yml:7:5)',
    says: 'reserved on Windows',
  },
  {
    name: 'a server name that is not a DNS name',
    file: replace('server.example.com', 'server_1'),
    at: 'participants[0].name (project.yml:4:5)',
    says: 'DNS host name',
  },
  {
    name: "a server name with '..'",
    file: replace('server.example.com', '../server'),
    at: 'participants[0].name (project.yml:4:5)',
    says: 'DNS host name',
  },
  {
    name: 'an admin name that is not an e-mail',
    file: replace('name: admin@example.com', 'name: admin'),
    at: 'participants[2].name (project.yml:10:5)',
    says: 'e-mail',
  },
  {
    name: 'an org with a hyphen',
    file: replace('org: org_a', 'org: org-a'),
    at: 'participants[1].org (project.yml:9:5)',
    says: 'org name',
  },
  {
    name: 'an org that is a number',
    file: replace('org: org_a', 'org: 42'),
    at: 'participants[1].org (project.yml:9:5)',
    says: 'organization name',
  },
  {
    name: 'an admin without a role',
    file: replace('    role: project_admin\n', ''),
    at: 'participants[2].role (project.yml:10:5)',
    says: 'role',
  },
  {
    name: 'a bad admin role',
    file: replace('role: project_admin', 'role: "lead!"'),
    at: 'participants[2].role (project.yml:13:5)',
    says: 'role',
  },
  {
    name: 'an unknown participant type',
    file: replace('type: client', 'type: worker'),
    at: 'participants[1].type (project.yml:8:5)',
    says: 'server, client, admin, relay',
  },
  // Ports and properties
  {
    name: 'port 0',
    file: serverWith('    fed_learn_port: 0'),
    at: 'participants[0].fed_learn_port (project.yml:7:5)',
    says: '1 to 65535',
  },
  {
    name: 'port 65536',
    file: serverWith('    admin_port: 65536'),
    at: 'participants[0].admin_port (project.yml:7:5)',
    says: '1 to 65535',
  },
  {
    name: 'a port as a string',
    file: serverWith('    fed_learn_port: "8002"'),
    at: 'participants[0].fed_learn_port (project.yml:7:5)',
    says: '1 to 65535',
  },
  {
    name: 'a fractional port',
    file: serverWith('    fed_learn_port: 8002.5'),
    at: 'participants[0].fed_learn_port (project.yml:7:5)',
    says: 'whole port number',
  },
  {
    name: 'a bad connection_security',
    file: serverWith('    connection_security: ssl'),
    at: 'participants[0].connection_security (project.yml:7:5)',
    says: 'clear, tls or mtls',
  },
  {
    name: 'a bad host_names entry',
    file: serverWith('    host_names: [fl.example.com, "bad host"]'),
    at: 'participants[0].host_names[1] (project.yml:7:34)',
    says: 'host name or IP',
  },
  {
    name: 'a bad host_names string',
    file: serverWith('    host_names: "bad_host!"'),
    at: 'participants[0].host_names (project.yml:7:5)',
    says: 'host name or IP',
  },
  {
    name: 'a bad default_host',
    file: serverWith('    default_host: "-bad-"'),
    at: 'participants[0].default_host (project.yml:7:5)',
    says: 'host name or IP',
  },
  {
    name: 'a relay without listening_host',
    file: append('  - name: relay-1\n    type: relay\n    org: nvidia\n'),
    at: 'participants[3].listening_host (project.yml:14:5)',
    says: 'listening_host',
  },
  {
    name: 'a listening_host without default_host',
    file: replace('    org: org_a', '    org: org_a\n    listening_host:\n      port: 9000'),
    at: 'participants[1].listening_host (project.yml:10:5)',
    says: 'default_host',
  },
  {
    name: 'a negative GPU count',
    file: replace('    org: org_a', '    org: org_a\n    capacity:\n      num_of_gpus: -1'),
    at: 'participants[1].capacity.num_of_gpus (project.yml:11:7)',
    says: '0 or more',
  },
  {
    name: 'allow_log_streaming as a string',
    file: replace('    org: org_a', '    org: org_a\n    allow_log_streaming: "yes"'),
    at: 'participants[1].allow_log_streaming (project.yml:10:5)',
    says: 'true or false',
  },
  {
    name: 'a parent that does not exist',
    file: replace('    org: org_a', '    org: org_a\n    parent: nobody'),
    at: 'participants[1].parent (project.yml:10:5)',
    says: 'another client',
  },
  {
    name: 'connect_to naming a client',
    file: append('  - name: site-2\n    type: client\n    org: org_a\n    connect_to:\n      name: site-1\n'),
    at: 'participants[3].connect_to.name (project.yml:18:7)',
    says: 'server or a relay',
  },
  // Studies and builders
  {
    name: 'studies with api_version 3',
    file: append(STUDY('study-a')),
    at: 'studies (project.yml:14:1)',
    says: 'api_version: 4',
  },
  {
    name: 'a study name with capitals',
    file: api4(append(STUDY('Study_A'))),
    at: 'studies.Study_A (project.yml:15:3)',
    says: 'study name',
  },
  {
    name: "the reserved study name 'default'",
    file: api4(append(STUDY('default'))),
    at: 'studies.default (project.yml:15:3)',
    says: 'reserved',
  },
  {
    name: 'a study naming an unknown client',
    file: api4(append(STUDY('study-a', 'site-9'))),
    at: 'studies.study-a.site_orgs.org_a[0] (project.yml:17:15)',
    says: 'name of a client',
  },
  {
    name: 'an unknown builder path',
    file: append('builders:\n  - path: nvflare.lighter.impl.magic.MagicBuilder\n'),
    at: 'builders[0].path (project.yml:15:5)',
    says: 'known builders: workspace | nvflare.lighter.impl.workspace.WorkspaceBuilder',
  },
  {
    name: 'builders as a mapping',
    file: append('builders:\n  cert: {}\n'),
    at: 'builders (project.yml:14:1)',
    says: 'list of builders',
  },
]

// odd cases: an existing workspace that must not change
const SEEDED_CASES = CASES.map((c, i) =>
  i % 2 === 1 ? { ...c, setup: (dir: string) => seedWorkspace(join(dir, 'ws')) } : c,
)

describeRefusals(
  'invalid project files, through the built bin',
  SEEDED_CASES,
  {
    args: ['-p', 'project.yml', '-w', 'ws'],
    concurrency: 4,
    workspaceAfter: (i) => (i % 2 === 1 ? SEEDED : []),
  },
  (root) => {
    it('has at least 30 cases', () => {
      expect(CASES.length).toBeGreaterThanOrEqual(30)
    })

    it('reports every problem of a file at once', async () => {
      const file = replace('name: site-1', 'name: ../evil')
        .replace('org: org_a', 'org: org-a')
        .replace('role: project_admin', 'role: "x y"')
      const dir = join(root, 'many')
      mkdirSync(dir)
      writeFileSync(join(dir, 'project.yml'), file)
      const r = await runBin(['-p', 'project.yml', '-w', 'ws'], dir, 60_000)
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('has 3 problems')
      for (const at of [
        'participants[1].name (project.yml:7:5)',
        'participants[1].org (project.yml:9:5)',
        'participants[2].role (project.yml:13:5)',
      ]) {
        expect(r.stderr).toContain(at)
      }
      expect(snapshot(join(dir, 'ws'))).toEqual([])
    })
  },
)

const SEEDED = [
  'demo dir 755',
  'demo/prod_00 dir 755',
  'demo/prod_00/marker.txt 4 644',
  'demo/state dir 700',
  'demo/state/cert.json 2 600',
]

function seedWorkspace(ws: string): void {
  mkdirSync(join(ws, 'demo', 'prod_00'), { recursive: true, mode: 0o755 })
  mkdirSync(join(ws, 'demo', 'state'), { mode: 0o700 })
  writeFileSync(join(ws, 'demo', 'prod_00', 'marker.txt'), 'old\n', { mode: 0o644 })
  writeFileSync(join(ws, 'demo', 'state', 'cert.json'), '{}', { mode: 0o600 })
}
