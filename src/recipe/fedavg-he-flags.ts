import {
  DEFAULT_NVFLARE_VERSION,
  type NvflareVersion,
  parseNvflareVersion,
} from '../provision/targets/version.js'
import { commaList, number, on, oneOf, text, texts } from './flag-parsers.js'
import type { JsonValue } from './job/component.js'
import { BadText, flagTable, type TextParser } from './option-flags.js'
import { DATA_KINDS, EXCHANGE_FORMATS, fedAvgHeOptionsSchema, jsonArgs, TRANSFER_TYPES } from './options.js'

/** A JSON object of constructor arguments (`{"num_classes": 10}`). */
const jsonObject: TextParser<Record<string, JsonValue>> = (t) => {
  let value: unknown
  try {
    value = JSON.parse(t)
  } catch (error) {
    return new BadText(`must be a JSON object; this is not JSON (${(error as Error).message})`)
  }
  const args = jsonArgs.safeParse(value)
  return args.success && !Array.isArray(value) ? args.data : new BadText('must be a JSON object')
}

/** A release line (`2.8`), or a release of it (`2.8.1`); the schema says what else it wants. */
const nvflareVersion: TextParser<NvflareVersion> = (t) => {
  try {
    return parseNvflareVersion(t, '--nvflare-version')
  } catch {
    return new BadText()
  }
}

const or = (values: readonly string[]) => `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`

/**
 * The command-line flags of FedAvgRecipeWithHE (`provision job fedavg-he`), one per option (`model`
 * takes two, `encryptLayers` has one per form). The schema checks each flag's value and gives the
 * defaults shown in --help; this table says the flag, how its text becomes the value, and the help.
 */
export const FEDAVG_HE_FLAGS = flagTable(fedAvgHeOptionsSchema, (f) => [
  f.value('trainScript', '--train-script <file>', text, 'the client training script (Client API)', {
    required: true,
  }),
  f.value('name', '--name <name>', text, 'job name'),
  f.value('minClients', '--min-clients <n>', number, 'clients needed per round', {
    defaultHelp: 'the number of client kits',
  }),
  f.value('numRounds', '--num-rounds <n>', number, 'training rounds'),
  f.value('trainArgs', '--train-args <args>', text, 'arguments for the training script'),
  f.value(
    'nvflareVersion',
    '--nvflare-version <version>',
    nvflareVersion,
    'the NVFlare version the sites run',
    {
      defaultHelp: `the one the kits were written for, else ${DEFAULT_NVFLARE_VERSION}`,
    },
  ),
  f.value(
    'model',
    '--model <class>',
    (classPath) => ({ classPath }),
    'initial model class path, e.g. model.SimpleNet; its module (model.py or a model/ package beside the training script) is bundled',
  ),
  f.adds(
    'model',
    '--model-args <json>',
    jsonObject,
    (model, args) => ({ ...model, args }),
    'constructor arguments of the model, as a JSON object',
  ),
  f.value(
    'initialCkpt',
    '--initial-ckpt <file>',
    text,
    'checkpoint: relative = bundled into the job, absolute = path on the server',
  ),
  f.value(
    'aggregator',
    '--aggregator <class>',
    (path) => ({ path }),
    'a custom aggregator’s class path: an HE aggregator, or a subclass of one with --aggregator-he-compatible',
    { defaultHelp: 'HEInTimeAccumulateWeightedAggregator' },
  ),
  f.adds(
    'aggregator',
    '--aggregator-args <json>',
    jsonObject,
    (aggregator, args) => ({ ...aggregator, args }),
    'constructor arguments of the aggregator, as a JSON object',
  ),
  f.adds(
    'aggregator',
    '--aggregator-he-compatible',
    on,
    (aggregator, heCompatible) => ({ ...aggregator, heCompatible }),
    'the --aggregator class works on HE data (it subclasses HEInTimeAccumulateWeightedAggregator)',
  ),
  f.value('aggregatorDataKind', '--aggregator-data-kind <kind>', oneOf(DATA_KINDS), or(DATA_KINDS)),
  f.value(
    'launchExternalProcess',
    '--launch-external-process',
    on,
    'run the training script in its own process',
  ),
  f.value('command', '--command <cmd>', text, 'command that runs the script in external-process mode'),
  f.value(
    'serverExpectedFormat',
    '--server-expected-format <format>',
    oneOf(EXCHANGE_FORMATS),
    or(EXCHANGE_FORMATS),
  ),
  f.value('paramsTransferType', '--params-transfer-type <type>', oneOf(TRANSFER_TYPES), or(TRANSFER_TYPES)),
  f.value('encryptLayers', '--encrypt-layers <names>', commaList, 'comma-separated layer names to encrypt', {
    defaultHelp: 'every layer',
  }),
  f.value(
    'encryptLayers',
    '--encrypt-regex <pattern>',
    text,
    'encrypt the layers whose names match this regular expression',
  ),
  f.value(
    'serverMemoryGcRounds',
    '--server-memory-gc-rounds <n>',
    number,
    'server memory cleanup every N rounds, 0 = off',
  ),
  f.value(
    'clientMemoryGcRounds',
    '--client-memory-gc-rounds <n>',
    number,
    'client memory cleanup every N rounds, 0 = off',
  ),
  f.value(
    'cudaEmptyCache',
    '--cuda-empty-cache',
    on,
    'also empty the CUDA cache during client memory cleanup',
  ),
  f.many(
    'custom',
    '--custom <path>',
    texts,
    'a file or folder to bundle into the job’s app/custom/ under its own name (repeatable)',
  ),
])
