/** The distributed flow's public API: request (site) → approve (admin) → package (site). */
export type { Approval, KitFile, SealedKitFile } from './approval.js'
export { type ApprovalPreview, type ApproveOptions, type ApproveResult, approveRequest } from './approve.js'
export { ENVELOPE_VERSION, openSealed, type SealBinding, sealTo } from './envelope.js'
export { FORMAT_VERSION } from './format.js'
export { type PackageOptions, type PackageResult, packageKit } from './package.js'
export type { DistributedType, ParticipantFields } from './participant.js'
export {
  type MadeRequest,
  type MakeRequestOptions,
  makeRequest,
  parseRequest,
  type SiteRequest,
} from './request.js'
