import { join } from 'node:path'
import { ExitCode, ProvisionError } from '../../errors.js'
import { type BuilderFactory, defineBuilder, type TypedBuilder } from '../builder.js'
import type { Credential, ProvisionContext } from '../context.js'
import { refuseDistributedCollisions } from '../distributed/state.js'
import { ReadLimit, readTextBounded } from '../fs/read-bounded.js'
import { pathExists } from '../fs/safe-path.js'
import { unlessInterrupted } from '../interrupt.js'
import { FileMode, Layout } from '../layout.js'
import { parseCertInfo } from '../pki/cert-info.js'
import { type CertParams, createIssuer, type Issuer, issueLeafCert, issueRootCert } from '../pki/certs.js'
import {
  checkStoredCredential,
  kitCertFiles,
  leafSpecFor,
  listenerCertFiles,
  listenerSpecFor,
} from '../pki/participant-certs.js'
import { type CertState, checkCertState, parseCertState, serializeCertState } from '../pki/state-store.js'
import type { Participant } from '../project/types.js'

export interface CertBuilderOptions {
  /** Validity of a new root CA, in days (NVFlare's `root_valid_days`). Default 360. */
  rootValidDays: number
  /** Serial-number randomness. Default: `crypto.randomBytes`. */
  randomBytes?: (size: number) => Uint8Array
}

const DEFAULT_ROOT_VALID_DAYS = 360
const MAX_ROOT_VALID_DAYS = 36_500

/** Validates the `args` of the cert builder in project.yml. */
export function parseCertArgs(args: Readonly<Record<string, unknown>>): CertBuilderOptions {
  const unknown = Object.keys(args).filter((k) => k !== 'root_valid_days')
  if (unknown.length > 0) {
    throw new ProvisionError('builder-args', `builder "cert": unknown argument(s) ${unknown.join(', ')}`, {
      hint: 'the cert builder takes one argument: root_valid_days (a whole number of days, default 360)',
    })
  }
  const days = args['root_valid_days'] ?? DEFAULT_ROOT_VALID_DAYS
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > MAX_ROOT_VALID_DAYS) {
    throw new ProvisionError(
      'builder-args',
      `builder "cert": root_valid_days must be a whole number of days from 1 to ${MAX_ROOT_VALID_DAYS}, got ${JSON.stringify(days)}`,
      {
        hint: 'for example root_valid_days: 3650 for a ten-year root CA',
      },
    )
  }
  return { rootValidDays: days }
}

/** What initialize found in state/ and what build must make. */
interface Plan {
  stateFile: string
  state: CertState | undefined
  /** Participants that need a new key and certificate, in project order. */
  fresh: Participant[]
  /** Participants with a listener certificate (made on every run, like NVFlare). */
  listeners: Participant[]
}

function readState(ctx: ProvisionContext): { file: string; state: CertState | undefined } {
  const file = join(ctx.stateDir, Layout.stateFile)
  if (!pathExists(file)) return { file, state: undefined }
  const text = readTextBounded(file, { what: 'state file', maxBytes: ReadLimit.certState, noFollow: true })
  const state = parseCertState(text, file)
  checkCertState(state, file) // root pair and every leaf, before anything is built from it
  const cn = parseCertInfo(state.root.certPem).cn
  if (cn !== ctx.project.name) {
    throw new ProvisionError(
      'cert-root-mismatch',
      `the root CA in ${file} is for project "${cn}", not "${ctx.project.name}"`,
      {
        hint: 'use the workspace of that project, or a new workspace for this one',
        exitCode: ExitCode.conflict,
      },
    )
  }
  return { file, state }
}

function planRun(ctx: ProvisionContext): Plan {
  const { file, state } = readState(ctx)
  if (state) refuseDistributedCollisions(state, ctx.project.participants, file)
  const fresh: Participant[] = []
  for (const p of ctx.project.participants) {
    const stored = state?.participants.get(p.name)
    if (!stored) {
      fresh.push(p)
      continue
    }
    for (const message of checkStoredCredential(p, stored, file)) ctx.emit({ type: 'warning', message })
  }
  const listeners = ctx.project.participants.filter((p) => listenerSpecFor(p, '') !== undefined)
  return { stateFile: file, state, fresh, listeners }
}

function writeCredential(
  ctx: ProvisionContext,
  name: string,
  files: { cert: string; key: string },
  cred: Credential,
) {
  ctx.writeFile(`${name}/${Layout.startup}/${files.cert}`, cred.certPem, FileMode.file)
  ctx.writeFile(`${name}/${Layout.startup}/${files.key}`, cred.keyPem, FileMode.secret)
}

/** The cert builder: root CA, one certificate and key per participant, listener certificates, state. */
export function createCertBuilder(options: CertBuilderOptions): TypedBuilder<'kit-folders', 'pki'> {
  let plan: Plan | undefined
  /** The run's own key pool is closed once the keys are made (its workers free the cores) or at finalize. */
  const closeOwnKeys = async (ctx: ProvisionContext) => {
    if (ctx.keys.closeWhenDone) await ctx.keys.source.close()
  }

  return {
    name: 'cert',
    initialize(ctx) {
      plan = planRun(ctx)
      const count = keyCount(plan)
      if (count > 0) ctx.keys.source.prefetch(count)
    },
    async build(ctx) {
      if (!plan) throw new Error('cert builder: build() before initialize()')
      const total = keyCount(plan)
      let done = 0
      const nextKey = async (name: string) => {
        const pem = await unlessInterrupted(ctx.keys.source.take(), ctx.signal)
        ctx.emit({ type: 'key-generated', name, done: ++done, total })
        return pem
      }
      const params = (): CertParams => ({ now: ctx.now(), randomBytes: options.randomBytes })
      const root =
        plan.state?.root ?? newRoot(ctx, options.rootValidDays, await nextKey(ctx.project.name), params())
      const issuer = createIssuer(root)
      const participants = new Map(plan.state?.participants)
      for (const p of plan.fresh) {
        const keyPem = await nextKey(p.name)
        participants.set(p.name, { certPem: issueLeafCert(leafSpecFor(p, keyPem), issuer, params()), keyPem })
      }
      const listeners = await issueListeners(plan.listeners, issuer, nextKey, params)
      await closeOwnKeys(ctx)
      writeKits(ctx, root, participants, listeners, new Set(plan.fresh.map((p) => p.name)))
      ctx.provide('pki', { root, participants, listeners })
      ctx.stageState(
        Layout.stateFile,
        serializeCertState({ root, participants, extras: plan.state?.extras ?? {} }),
      )
    },
    finalize: closeOwnKeys,
  }
}

/** Keys this run makes: the root's (unless kept), one per new participant, one per listener. */
function keyCount(plan: Plan): number {
  return (plan.state ? 0 : 1) + plan.fresh.length + plan.listeners.length
}

function newRoot(ctx: ProvisionContext, days: number, keyPem: string, params: CertParams): Credential {
  const certPem = issueRootCert(ctx.project.name, keyPem, days, params)
  ctx.emit({ type: 'cert-issued', name: ctx.project.name, reused: false })
  return { certPem, keyPem }
}

async function issueListeners(
  list: Participant[],
  issuer: Issuer,
  nextKey: (name: string) => Promise<string>,
  params: () => CertParams,
): Promise<Map<string, Credential>> {
  const out = new Map<string, Credential>()
  for (const p of list) {
    const keyPem = await nextKey(`${p.name} (listener)`)
    const spec = listenerSpecFor(p, keyPem)
    if (spec) out.set(p.name, { certPem: issueLeafCert(spec, issuer, params()), keyPem })
  }
  return out
}

function writeKits(
  ctx: ProvisionContext,
  root: Credential,
  creds: Map<string, Credential>,
  listeners: Map<string, Credential>,
  fresh: Set<string>,
): void {
  for (const p of ctx.project.participants) {
    const cred = creds.get(p.name)
    if (!cred) throw new Error(`cert builder: no credential for ${p.name}`)
    writeCredential(ctx, p.name, kitCertFiles(p), cred)
    const listener = listeners.get(p.name)
    if (listener) writeCredential(ctx, p.name, listenerCertFiles, listener)
    ctx.writeFile(`${p.name}/${Layout.startup}/${Layout.rootCert}`, root.certPem, FileMode.file)
    ctx.emit({ type: 'cert-issued', name: p.name, reused: !fresh.has(p.name) })
  }
}

export const certBuilderFactory: BuilderFactory = defineBuilder({
  id: 'cert',
  nvflarePaths: ['nvflare.lighter.impl.cert.CertBuilder'],
  phase: 30,
  description:
    'root CA, participant certificates and keys (reused from state/cert.json), listener certificates',
  requires: ['kit-folders'],
  provides: ['pki'],
  create: (args) => createCertBuilder(parseCertArgs(args)),
})
