/** The HE builder's public API (loads node-seal only when a function that needs it is called). */
export { createHeBuilder } from './builder.js'
export { type EncryptOptions, encryptToBytes } from './ckks-encrypt.js'
export { CkksVector } from './ckks-vector.js'
export { describeHeParams, type HeParamsInfo, sameHeParams } from './describe-params.js'
export { HeContext, heParamsOf, type ParamsInfo } from './he-context.js'
export { type CkksVectorInfo, inspectTenseal, type TensealContextInfo, type TensealInfo } from './inspect.js'
export { AUTO_FLAGS_ALL, type HeKeyFiles, type HeKeyOptions, makeHeKeyFiles } from './key-material.js'
export {
  DEFAULT_HE_PARAMS,
  type HeParams,
  MAX_COEFF_BITS_128,
  parseHeArgs,
  securityProblem,
} from './params.js'
export { loadSeal, type Seal } from './seal.js'
export {
  type CkksVectorFile,
  decodeCkksVector,
  decodeTensealContext,
  encodeCkksVector,
  encodeTensealContext,
  readSealHeader,
  type TensealContextFile,
} from './tenseal-codec.js'
