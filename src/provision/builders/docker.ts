import { stringify } from 'yaml'
import { ProvisionError } from '../../errors.js'
import { type BuilderFactory, defineBuilder } from '../builder.js'
import type { ProvisionContext } from '../context.js'
import { readTextBounded } from '../fs/read-bounded.js'
import { Layout } from '../layout.js'
import { MAX_REQUIREMENTS_BYTES } from '../project/builder-files.js'
import type { ClientParticipant, ServerParticipant } from '../project/types.js'

/**
 * NVFlare's DockerBuilder: `compose.yaml` and `.env` at the top of prod_NN, and `nvflare_compose/` with a
 * Dockerfile and requirements.txt, so that `docker compose up` runs the server and every client locally.
 */
interface DockerArgs {
  baseImage: string
  requirements: string
}

/** The loader's cap holds here too: the file could have grown since it was checked. */
const REQUIREMENTS = {
  what: 'docker builder requirements_file',
  maxBytes: MAX_REQUIREMENTS_BYTES,
  hint: 'Give the path of a pip requirements file, relative to the folder of project.yml.',
}

/**
 * `requirements_file` is the absolute path the loader resolved and checked (builder-files.ts): the one
 * project.yml names, or a requirements.txt beside it; absent, the file is filled at build time.
 */
function parseDockerArgs(args: Readonly<Record<string, unknown>>): DockerArgs {
  const baseImage = args['base_image'] ?? 'python:3.10'
  const file = args['requirements_file']
  if (typeof baseImage !== 'string' || (file !== undefined && typeof file !== 'string')) {
    throw new ProvisionError(
      'builder-args',
      'docker builder: base_image and requirements_file must be strings',
    )
  }
  return { baseImage, requirements: file === undefined ? '' : readTextBounded(file, REQUIREMENTS) }
}

/** docker compose substitutes these from .env; they are not JavaScript templates. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a docker compose variable
const WORKSPACE = '${WORKSPACE}'
// biome-ignore lint/suspicious/noTemplateCurlyInString: a docker compose variable
const PYTHON = '${PYTHON_EXECUTABLE}'
// biome-ignore lint/suspicious/noTemplateCurlyInString: a docker compose variable
const IMAGE = '${IMAGE_NAME}'

function command(module: string, fedJson: string, extra: string[]): string[] {
  return [
    PYTHON,
    '-u',
    '-m',
    module,
    '-m',
    WORKSPACE,
    '-s',
    fedJson,
    '--set',
    'secure_train=true',
    'config_folder=config',
    ...extra,
  ]
}

function serverService(s: ServerParticipant) {
  const ports = [...new Set([s.fedLearnPort, s.adminPort])].map((p) => `${p}:${p}`)
  return {
    build: Layout.composeDir,
    image: IMAGE,
    container_name: s.name,
    volumes: [`./${s.name}:${WORKSPACE}`, 'nvflare_svc_persist:/tmp/nvflare/'],
    ports,
    command: command('nvflare.private.fed.app.server.server_train', Layout.fedServer, [`org=${s.org}`]),
  }
}

function clientService(c: ClientParticipant) {
  return {
    build: Layout.composeDir,
    image: IMAGE,
    container_name: c.name,
    volumes: [`./${c.name}:${WORKSPACE}`],
    command: command('nvflare.private.fed.app.client.client_train', Layout.fedClient, [
      `uid=${c.name}`,
      `org=${c.org}`,
    ]),
  }
}

function buildDocker(ctx: ProvisionContext, args: DockerArgs): void {
  const { project } = ctx
  const services = Object.fromEntries([
    [project.server.name, serverService(project.server)],
    ...project.clients.map((c) => [c.name, clientService(c)]),
  ])
  ctx.writeFile(Layout.composeFile, stringify({ services, volumes: { nvflare_svc_persist: null } }))
  ctx.writeFile(
    Layout.composeEnv,
    'WORKSPACE=/workspace\nPYTHON_EXECUTABLE=/usr/local/bin/python3\nIMAGE_NAME=nvflare-service\n',
  )
  const he = project.builders.some((b) => b.id === 'he')
  const requirements = args.requirements || `nvflare\n${he ? 'tenseal\n' : ''}`
  ctx.writeFile(`${Layout.composeDir}/requirements.txt`, requirements)
  ctx.writeFile(
    `${Layout.composeDir}/Dockerfile`,
    `FROM ${args.baseImage}\nRUN pip install -U pip\nCOPY requirements.txt requirements.txt\nRUN pip install -r requirements.txt\n`,
  )
}

export const dockerBuilderFactory: BuilderFactory = defineBuilder({
  id: 'docker',
  nvflarePaths: ['nvflare.lighter.impl.docker.DockerBuilder'],
  phase: 25,
  description: 'compose.yaml, .env and nvflare_compose/ (Dockerfile, requirements.txt) for docker compose',
  // Each service mounts a kit folder and starts from its fed_server.json / fed_client.json.
  requires: ['kit-folders', 'kit-configs'],
  provides: ['compose'],
  create(raw) {
    const args = parseDockerArgs(raw)
    return { name: 'docker', build: (ctx) => buildDocker(ctx, args) }
  },
})
