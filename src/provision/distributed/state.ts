import { ExitCode, ProvisionError } from '../../errors.js'
import type { PyJson } from '../pki/py-json.js'
import type { CertState } from '../pki/state-store.js'
import type { Participant } from '../project/types.js'
import type { ParticipantFields } from './participant.js'

/**
 * Participants issued by `approve` are recorded in state/cert.json under one entry of their own (kept
 * as it is by every central run, like any entry the cert builder does not know), because they have a
 * certificate but no private key there. The key holds a ':' so that it can never be a participant name.
 */
export const DISTRIBUTED_STATE_KEY = 'fedforge:distributed'

export interface DistributedRecord {
  fields: ParticipantFields
  certPem: string
  requestSha256: string
  approved: string
}

function entries(state: CertState): Record<string, PyJson> {
  const raw = state.extras[DISTRIBUTED_STATE_KEY]
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}
}

/** The names approve has issued for in this workspace. */
export function distributedNames(state: CertState): string[] {
  return Object.keys(entries(state))
}

/** A copy of `state` with `record` added (the caller has checked that the name is free). */
export function withDistributedRecord(state: CertState, record: DistributedRecord): CertState {
  const value: Record<string, PyJson> = {
    type: record.fields.type,
    org: record.fields.org,
    cert: record.certPem,
    request_sha256: record.requestSha256,
    approved: record.approved,
  }
  if (record.fields.role !== undefined) value['role'] = record.fields.role
  const all = { ...entries(state), [record.fields.name]: value }
  return { ...state, extras: { ...state.extras, [DISTRIBUTED_STATE_KEY]: all } }
}

/**
 * The central run must not issue a second key and certificate for a name approve issued (the site holds
 * that participant's key): exit 3 naming it. Called by the cert builder with the project's participants.
 */
export function refuseDistributedCollisions(
  state: CertState,
  participants: Participant[],
  stateFile: string,
): void {
  const issued = new Set(distributedNames(state))
  const clash = participants.filter((p) => issued.has(p.name))
  if (clash.length === 0) return
  const names = clash.map((p) => p.name).join(', ')
  throw new ProvisionError(
    'distributed-collision',
    `${names} got a certificate through \`provision approve\` (recorded in ${stateFile}); a central run would issue a second key for the same name`,
    {
      exitCode: ExitCode.conflict,
      hint: `remove ${names} from project.yml: its kit is built at the site with \`provision package\``,
    },
  )
}
