import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { REPO } from '../helpers/paths.js'

/** Every name `fedforge` exports, with the TSDoc of its declaration (empty when it has none). */
function publicApi(): { name: string; doc: string; file: string }[] {
  const entry = join(REPO, 'src', 'index.ts')
  const config = ts.getParsedCommandLineOfConfigFile(
    join(REPO, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      },
    },
  )
  const program = ts.createProgram([entry], config?.options ?? {})
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(entry)
  const module = source && checker.getSymbolAtLocation(source)
  if (!module) throw new Error('src/index.ts has no exports')
  return checker.getExportsOfModule(module).map((exported) => {
    const symbol = checker.getAliasedSymbol(exported)
    const doc = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim()
    const file = symbol.declarations?.[0]?.getSourceFile().fileName ?? '?'
    return { name: exported.name, doc, file: file.replace(REPO, '') }
  })
}

describe("fedforge's public API", () => {
  const api = publicApi()

  it('exports what the issue names, and ResolvedOptions (the type of FedAvgRecipeWithHE.options)', () => {
    const names = api.map((e) => e.name)
    for (const name of [
      'provision',
      'ProvisionRequest',
      'ProvisionResult',
      'loadProject',
      'loadProjectFile',
      'Project',
      'ProjectFile',
      'verifyKit',
      'KitReport',
      'readTenseal',
      'TensealInfo',
      'FedAvgRecipeWithHE',
      'FedAvgRecipeWithHEOptions',
      'ResolvedOptions',
      'PocEnv',
      'PocEnvOptions',
      'ProdEnv',
      'ProdEnvOptions',
      'NvflareVersion',
      'NVFLARE_VERSIONS',
      'DEFAULT_NVFLARE_VERSION',
      'ProvisionError',
      'ExitCode',
      'isProvisionError',
    ]) {
      expect(names).toContain(name)
    }
  })

  it('documents every export with TSDoc at its declaration', () => {
    const undocumented = api.filter((e) => e.doc === '').map((e) => `${e.name} (${e.file})`)
    expect(undocumented).toEqual([])
  })
})
