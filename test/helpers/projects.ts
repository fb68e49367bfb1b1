/**
 * A small project file: server.example.com, clients site-1… (org_a), admin@example.com (project_admin),
 * and optionally a builder list. The default text has the server entry on lines 4-6 and ends on line 13,
 * which tests that point at line numbers rely on.
 */
export function smallProjectYaml(
  name: string,
  options: { clients?: number; builders?: string[] } = {},
): string {
  const clients = Array.from(
    { length: options.clients ?? 1 },
    (_, i) => `  - name: site-${i + 1}\n    type: client\n    org: org_a\n`,
  ).join('')
  const builders = options.builders
    ? `builders:\n${options.builders.map((b) => `  - path: ${b}\n`).join('')}`
    : ''
  return `api_version: 3
name: ${name}
participants:
  - name: server.example.com
    type: server
    org: nvidia
${clients}  - name: admin@example.com
    type: admin
    org: nvidia
    role: project_admin
${builders}`
}
