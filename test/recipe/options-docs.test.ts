import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { fedAvgHeOptionsSchema } from '../../src/recipe/options.js'

const OPTIONS_TS = fileURLToPath(new URL('../../src/recipe/options.ts', import.meta.url))

/** The TSDoc an editor shows for each property of an exported type of options.ts. */
function propertyDocs(typeName: string): Record<string, string> {
  const program = ts.createProgram([OPTIONS_TS], {
    strict: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
    types: [],
    lib: ['lib.es2022.d.ts'],
  })
  const checker = program.getTypeChecker()
  const file = program.getSourceFile(OPTIONS_TS)
  const module = file && checker.getSymbolAtLocation(file)
  const alias = module && checker.getExportsOfModule(module).find((s) => s.name === typeName)
  if (alias === undefined) throw new Error(`${typeName} is not exported from options.ts`)
  const type = checker.getDeclaredTypeOfSymbol(alias)
  const docs: Record<string, string> = {}
  for (const prop of checker.getPropertiesOfType(type)) {
    docs[prop.name] = ts.displayPartsToString(prop.getDocumentationComment(checker))
  }
  return docs
}

describe('the TSDoc of FedAvgRecipeWithHEOptions', () => {
  it('is the schema’s, on every option', () => {
    const docs = propertyDocs('FedAvgRecipeWithHEOptions')
    expect(Object.keys(docs).sort()).toEqual(Object.keys(fedAvgHeOptionsSchema.shape).sort())
    const undocumented = Object.entries(docs).filter(([, doc]) => doc.trim() === '')
    expect(undocumented).toEqual([])
    expect(docs['numRounds']).toBe('Training rounds (default 2).')
  })
})
