import type { Command } from 'commander'
import { ExitCode } from '../../errors.js'
import {
  contextParams,
  describeHeParams,
  describeScale,
  scaleBitsOf,
} from '../../he-builder/describe-params.js'
import type { CkksVectorInfo, TensealContextInfo, TensealInfo } from '../../he-builder/inspect.js'
import { action, out } from '../run.js'

function bytesText(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} B`
}

function scaleText(scale: number | undefined): string {
  return describeScale(scaleBitsOf(scale))
}

function present(yes: boolean): string {
  return yes ? 'present' : 'absent'
}

function contextLines(info: TensealContextInfo): string[] {
  const flags = info.autoFlags
  const on = [flags.relinearize && 'relinearize', flags.rescale && 'rescale', flags.modSwitch && 'mod-switch']
  return [
    `TenSEAL context (${bytesText(info.fileBytes)}): ${describeHeParams(contextParams(info))}`,
    `  scheme:              ${info.scheme}`,
    `  poly modulus degree: ${info.polyModulusDegree}`,
    `  coeff moduli (bits): [${info.coeffModBitSizes.join(', ')}] = ${info.coeffModBitSizes.reduce((a, b) => a + b, 0)} bits`,
    ...(info.plainModulus ? [`  plain modulus:       ${info.plainModulus}`] : []),
    `  scale:               ${scaleText(info.scale)}`,
    `  auto flags:          ${flags.value} (${on.filter(Boolean).join(', ') || 'none'})`,
    `  encryption type:     ${info.encryptionType}`,
    `  security:            ${info.securityProblem ? `BELOW 128-bit: ${info.securityProblem}` : '128-bit'}`,
    `  public key:          ${present(info.keys.publicKey)}`,
    `  secret key:          ${present(info.keys.secretKey)}`,
    `  relin keys:          ${present(info.keys.relinKeys)}${info.keys.relinKeysGenerated ? ' (regenerated from the secret key on load)' : ''}`,
    `  galois keys:         ${present(info.keys.galoisKeys)}${info.keys.galoisKeysGenerated ? ' (regenerated from the secret key on load)' : ''}`,
  ]
}

function vectorLines(info: CkksVectorInfo): string[] {
  const sizes = info.ciphertexts.map((ct) => ct.bytes)
  return [
    `TenSEAL CKKS vector (${bytesText(info.fileBytes)})`,
    `  values:      ${info.values} in ${info.sizes.length} ciphertext(s) of [${info.sizes.join(', ')}]`,
    `  scale:       ${scaleText(info.scale)}`,
    `  ciphertexts: ${sizes.map(bytesText).join(', ')} (SEAL ${info.ciphertexts[0]?.version}, ${info.ciphertexts[0]?.compression})`,
  ]
}

export function renderTensealInfo(info: TensealInfo): string[] {
  return info.kind === 'context' ? contextLines(info) : vectorLines(info)
}

/** `provision inspect FILE.tenseal [--json]`: what an HE context or CKKS vector file holds. */
export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('Show what a .tenseal file holds: HE parameters, scale, encryption type, and which keys')
    .argument('<file>', 'a .tenseal context (server_context.tenseal, client_context.tenseal) or CKKS vector')
    .option('--json', 'print JSON')
    .action(
      action(async (file: string, opts: { json?: boolean }) => {
        // he-builder (and node-seal) load only when this command runs.
        const { readTenseal } = await import('../../he-builder/read-tenseal.js')
        const info = await readTenseal(file)
        if (opts.json) out(JSON.stringify(info, null, 2))
        else for (const line of renderTensealInfo(info)) out(line)
        return ExitCode.ok
      }),
    )
}
