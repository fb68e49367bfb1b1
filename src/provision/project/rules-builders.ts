// params.ts is the pure half of the HE builder (no node-seal): the loader checks HE arguments with the same
// function the builder and the wizard use, so a bad set is a problem line here and never a SEAL failure later.
import { checkHeArgs } from '../../he-builder/params.js'
import {
  describeMisordered,
  describeMissing,
  type ListedBuilder,
  misorderedBuilders,
  missingCapabilities,
} from '../builders/dependencies.js'
import { findBuilder, knownBuilderNames } from '../builders/registry.js'
import { requirementsFile, requirementsFileProblem } from './builder-files.js'
import type { Reporter, Rule } from './findings.js'
import { participantNameProblem, schemeProblem } from './names.js'
import type { ProjectFile } from './schema.js'
import type { KeyPath } from './source.js'

/** Rules for the builders list: known names, each once, what each requires, and the arguments. */

export const checkBuilders: Rule = ({ file }, report) => {
  if (!Array.isArray(file.builders)) return
  const seen = new Map<string, number>()
  file.builders.forEach((b, i) => {
    if (typeof b?.path !== 'string') return
    const factory = findBuilder(b.path)
    if (!factory) {
      report.problem(
        ['builders', i, 'path'],
        `unknown builder ${JSON.stringify(b.path)}; known builders: ${knownBuilderNames()}`,
      )
      return
    }
    const first = seen.get(factory.id)
    if (first !== undefined)
      report.problem(
        ['builders', i, 'path'],
        `builder "${factory.id}" is already listed at builders[${first}]`,
      )
    else seen.set(factory.id, i)
  })
}

/**
 * What each listed builder requires must be provided by another one in the list (at the list's line:col);
 * a builder listed before its provider is a warning at its entry, since builders run in a fixed order here
 * but NVFlare's provision runs them as listed. Without a list the default builders are used, and they are
 * complete.
 */
export const checkBuilderDependencies: Rule = ({ file }, report) => {
  if (!Array.isArray(file.builders)) return
  const listed: ListedBuilder[] = file.builders.flatMap((b, index) => {
    const factory = typeof b?.path === 'string' ? findBuilder(b.path) : undefined
    return factory ? [{ factory, index }] : []
  })
  for (const m of missingCapabilities(listed)) report.problem(['builders'], describeMissing(m))
  for (const m of misorderedBuilders(listed)) {
    report.warning(['builders', m.builder.index ?? 0, 'path'], describeMisordered(m))
  }
}

/*
 * Builder arguments whose values end up in a script, a Dockerfile or a kit config: each must match a
 * strict pattern, so that no value from project.yml can become code at a site.
 */

/** `config_folder` lands in every kit's sub_start.sh: one folder name, nothing a shell would act on. */
const FOLDER_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/

/** A Docker image reference (`[registry[:port]/]path[:tag][@digest]`, distribution/reference grammar). */
const DOMAIN_PART = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])'
const DOMAIN = `${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]{1,5})?`
const PATH_PART = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}'
const IMAGE = new RegExp(`^(?:${DOMAIN}/)?${PATH_PART}(?:/${PATH_PART})*(?::${TAG})?(?:@${DIGEST})?$`)
const MAX_IMAGE_LENGTH = 255
/** compose.yaml names a container after each server and client; Docker's rule for container names. */
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]+$/

const shown = (value: unknown) => JSON.stringify(value)?.slice(0, 120) ?? String(value)

type ArgCheck = (value: string) => string | undefined

function folderProblem(value: string): string | undefined {
  return FOLDER_NAME.test(value)
    ? undefined
    : `expected a folder name of letters, digits, '_', '.' and '-' (1-64 characters, not starting with '.' or '-'), got ${shown(value)}: it is written into every kit's start script`
}

function imageProblem(value: string): string | undefined {
  return value.length <= MAX_IMAGE_LENGTH && IMAGE.test(value)
    ? undefined
    : `expected a Docker image reference such as python:3.10 or registry.example.com:5000/team/image:tag, got ${shown(value)}: it is written into the Dockerfile`
}

function urlProblem(value: string): string | undefined {
  let url: URL | undefined
  try {
    url = /[\s\u0000-\u001f\u007f]/.test(value) || value.length > 2048 ? undefined : new URL(value)
  } catch {
    url = undefined
  }
  return url && (url.protocol === 'http:' || url.protocol === 'https:')
    ? undefined
    : `expected an http:// or https:// URL without spaces, got ${shown(value)}`
}

/** The string arguments each builder writes somewhere, and their rules. */
const STRING_ARGS: Record<string, Record<string, ArgCheck>> = {
  // docker_image: NVFlare writes it into docker.sh; we ignore it, but a value must still be an image
  static: {
    config_folder: folderProblem,
    scheme: schemeProblem,
    download_job_url: urlProblem,
    docker_image: imageProblem,
  },
  docker: { base_image: imageProblem, requirements_file: () => undefined },
}

/** Checks the arguments of every builder entry; `baseDir` is the folder files are relative to. */
export const checkBuilderArgs: Rule = ({ file, baseDir }, report) => {
  if (!Array.isArray(file.builders)) return
  file.builders.forEach((b, i) => {
    const id = typeof b?.path === 'string' ? findBuilder(b.path)?.id : undefined
    const args = b?.args ?? {}
    const at: KeyPath = ['builders', i, 'args']
    for (const [key, check] of Object.entries(STRING_ARGS[id ?? ''] ?? {})) {
      const value = args[key]
      if (value === undefined || value === null || (value === '' && id === 'static')) continue
      const issue = typeof value === 'string' ? check(value) : `expected a string, got ${shown(value)}`
      if (issue) report.problem([...at, key], issue)
    }
    if (id === 'docker') {
      checkRequirements(args, baseDir, at, report)
      checkContainerNames(file, report)
    }
    if (id === 'he') {
      const checked = checkHeArgs(args)
      if (checked.ok) return
      const { key, message, hint } = checked.problem
      report.problem(key in args ? [...at, key] : at, hint ? `${message} (${hint})` : message)
    }
  })
}

function checkRequirements(
  args: Readonly<Record<string, unknown>>,
  baseDir: string,
  at: KeyPath,
  report: Reporter,
): void {
  const file = requirementsFile(args, baseDir)
  const issue = file && requirementsFileProblem(file)
  if (file && issue) report.problem(file.given ? [...at, 'requirements_file'] : at.slice(0, -1), issue)
}

function checkContainerNames(file: Partial<ProjectFile>, report: Reporter): void {
  file.participants?.forEach((p, i) => {
    const named = (p.type === 'server' || p.type === 'client') && !participantNameProblem(p.type, p.name)
    if (named && !CONTAINER_NAME.test(p.name)) {
      report.problem(
        ['participants', i, 'name'],
        `expected a name that starts with a letter or digit and has 2 or more characters, got ${shown(p.name)}: with the docker builder it is the name of a Docker container`,
      )
    }
  })
}
