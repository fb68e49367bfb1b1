export type { Check, CheckStatus, KitReport, VerifyOptions } from './types.js'
export { verifyKit } from './verify-kit.js'
