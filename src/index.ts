export { ExitCode, isProvisionError, ProvisionError } from './errors.js'
export * from './provision/distributed/index.js'
export * from './recipe/index.js'
