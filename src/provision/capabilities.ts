/**
 * What builders require from and provide to each other. Each builder factory declares both
 * (builder.ts, `defineBuilder`); the loader refuses a builders list in which one is missing, at its
 * line:col, and the context a builder's build() gets has every material it requires, typed non-optional.
 */
export const CAPABILITIES = {
  /** The kit folders (startup/ 0700, local/, transfer/) of every participant. */
  'kit-folders': 'the kit folders',
  /** fed_*.json, start scripts, readme.txt and local/ defaults in every kit. */
  'kit-configs': "the kits' config files and start scripts",
  /** The root CA and every participant's certificate and key (a material: `ctx.pki`). */
  pki: 'the certificates and keys',
  /** The HE contexts in the server and client kits (a material: `ctx.he`). */
  he: 'the HE contexts',
  /** signature.json in startup/ and local/ of every kit. */
  signatures: 'the kit signatures',
  /** compose.yaml, .env and nvflare_compose/ at the top of prod_NN. */
  compose: 'the docker compose files',
  /** One `<kit>.zip` per kit. */
  zips: 'the kit zips',
} as const

export type Capability = keyof typeof CAPABILITIES

/** Every run needs the kit folders: its result names one folder per participant. */
export const RUN_REQUIRES: readonly Capability[] = ['kit-folders']
