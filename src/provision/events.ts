/** Progress is data: builders emit these, the CLI renders them (DESIGN.md point 4). */
export type ProvisionEvent =
  | { type: 'stage'; stage: string; builder: string }
  | { type: 'key-generated'; name: string; done: number; total: number }
  | { type: 'cert-issued'; name: string; reused: boolean }
  | { type: 'kit-written'; name: string; kind: string; dir: string }
  | { type: 'he-context'; file: string; secretKey: boolean }
  | { type: 'signed'; dir: string; files: number }
  /** `file` is relative to the prod_NN folder. */
  | { type: 'zip-written'; name: string; file: string; sha256: string }
  | { type: 'warning'; message: string }

/** Receives the progress events of a run (`ProvisionRequest.onEvent`). */
export type EventSink = (event: ProvisionEvent) => void
