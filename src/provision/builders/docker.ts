import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { stringify } from 'yaml'
import { ProvisionError } from '../../errors.js'
import type { BuilderFactory } from '../builder.js'
import type { ProvisionContext } from '../context.js'
import { ReadLimit, readTextBounded } from '../fs/read-bounded.js'
import { Layout } from '../layout.js'
import type { ClientParticipant, ServerParticipant } from '../project/types.js'

/**
 * NVFlare's DockerBuilder: `compose.yaml` and `.env` at the top of prod_NN, and `nvflare_compose/` with a
 * Dockerfile and requirements.txt, so that `docker compose up` runs the server and every client locally.
 */
interface DockerArgs {
  baseImage: string
  requirements: string
}

const REQUIREMENTS = { what: 'docker builder requirements_file', maxBytes: ReadLimit.kitFile }

function parseDockerArgs(args: Readonly<Record<string, unknown>>): DockerArgs {
  const baseImage = args['base_image'] ?? 'python:3.10'
  const file = args['requirements_file'] ?? 'requirements.txt'
  if (typeof baseImage !== 'string' || typeof file !== 'string') {
    throw new ProvisionError(
      'builder-args',
      'docker builder: base_image and requirements_file must be strings',
    )
  }
  const path = resolve(file)
  if (existsSync(path)) return { baseImage, requirements: readTextBounded(path, REQUIREMENTS) }
  if (args['requirements_file'] !== undefined) {
    throw new ProvisionError('not-found', `docker builder: requirements_file ${path} does not exist`, {
      hint: 'Give the path of a pip requirements file, relative to the folder you run provision from.',
    })
  }
  return { baseImage, requirements: '' } // filled with nvflare (and tenseal) at build time
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
    build: 'nvflare_compose',
    image: IMAGE,
    container_name: s.name,
    volumes: [`./${s.name}:${WORKSPACE}`, 'nvflare_svc_persist:/tmp/nvflare/'],
    ports,
    command: command('nvflare.private.fed.app.server.server_train', Layout.fedServer, [`org=${s.org}`]),
  }
}

function clientService(c: ClientParticipant) {
  return {
    build: 'nvflare_compose',
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
  ctx.writeFile('compose.yaml', stringify({ services, volumes: { nvflare_svc_persist: null } }))
  ctx.writeFile(
    '.env',
    'WORKSPACE=/workspace\nPYTHON_EXECUTABLE=/usr/local/bin/python3\nIMAGE_NAME=nvflare-service\n',
  )
  const he = project.builders.some((b) => b.id === 'he')
  const requirements = args.requirements || `nvflare\n${he ? 'tenseal\n' : ''}`
  ctx.writeFile('nvflare_compose/requirements.txt', requirements)
  ctx.writeFile(
    'nvflare_compose/Dockerfile',
    `FROM ${args.baseImage}\nRUN pip install -U pip\nCOPY requirements.txt requirements.txt\nRUN pip install -r requirements.txt\n`,
  )
}

export const dockerBuilderFactory: BuilderFactory = {
  id: 'docker',
  nvflarePaths: ['nvflare.lighter.impl.docker.DockerBuilder'],
  phase: 25,
  description: 'compose.yaml, .env and nvflare_compose/ (Dockerfile, requirements.txt) for docker compose',
  create(raw) {
    const args = parseDockerArgs(raw)
    return { name: 'docker', build: (ctx) => buildDocker(ctx, args) }
  },
}
