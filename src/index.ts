export { ExitCode, ProvisionError, isProvisionError } from './errors.js'
