// The project every benchmark provisions: 1 server + N clients (10 organisations) + 1 admin, with HE.
import { stringify } from 'yaml'

export function benchProjectYaml(clients: number): string {
  const participants = [
    { name: 'server.example.com', type: 'server', org: 'hub' },
    ...Array.from({ length: clients }, (_, i) => ({
      name: `site-${i + 1}`,
      type: 'client',
      org: `org_${i % 10}`,
    })),
    { name: 'admin@example.com', type: 'admin', org: 'hub', role: 'project_admin' },
  ]
  const builders = ['workspace', 'static', 'cert', 'he', 'signature'].map((path) => ({ path }))
  return stringify({ api_version: 3, name: 'bench', participants, builders })
}
