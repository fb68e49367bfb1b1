export { ExitCode, isProvisionError, ProvisionError } from './errors.js'
export * from './recipe/index.js'
