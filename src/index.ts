export { ExitCode, ProvisionError, isProvisionError } from './errors.js'
export * from './recipe/index.js'
