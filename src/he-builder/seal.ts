import type { SEALLibrary } from 'node-seal/implementation/seal.js'

/** The node-seal 6.0.3 library object (SEAL 4.1.2 compiled to WebAssembly). */
export type Seal = SEALLibrary
export type SealContext = ReturnType<Seal['Context']>
export type CipherText = ReturnType<Seal['CipherText']>
export type PlainText = ReturnType<Seal['PlainText']>
export type SecretKey = ReturnType<Seal['SecretKey']>
export type EncryptionParameters = ReturnType<Seal['EncryptionParameters']>

let loading: Promise<Seal> | undefined

/**
 * Loads node-seal once, on first use. Nothing else in fedforge imports node-seal, so a project without HE
 * never pays for its WebAssembly (about 3 MB, and a 4 GB memory cap that never shrinks).
 */
export function loadSeal(): Promise<Seal> {
  if (!loading) {
    // node-seal's main entry is UMD: under ESM its module.exports (the factory) arrives as `default`.
    // Its types are an ES module's (`export default factory`) in a CommonJS package, so under NodeNext
    // TypeScript expects `mod.default.default`; the cast says what Node gives.
    loading = import('node-seal')
      .then((mod) => (mod as unknown as { default: () => Promise<Seal> }).default())
      .catch((error: unknown) => {
        loading = undefined
        throw error
      })
  }
  return loading
}

/** Anything node-seal allocates inside WebAssembly memory. */
export interface Deletable {
  delete(): void
}

/**
 * Collects SEAL objects and deletes them together (SEAL objects live in WASM memory, outside the garbage
 * collector). `using(scope => ...)` deletes them even when the callback throws.
 */
export class SealScope {
  private readonly objects: Deletable[] = []

  track<T extends Deletable>(object: T): T {
    this.objects.push(object)
    return object
  }

  dispose(): void {
    for (const object of this.objects.splice(0).reverse()) object.delete()
  }
}

export function withScope<T>(fn: (scope: SealScope) => T): T {
  const scope = new SealScope()
  try {
    return fn(scope)
  } finally {
    scope.dispose()
  }
}
