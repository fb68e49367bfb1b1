import { describe, expect, it } from 'vitest'
import { ExitCode, PROVISION_ERROR_CODES, ProvisionError, type ProvisionErrorCode } from '../src/errors.js'

describe('ProvisionError codes', () => {
  const codes = Object.keys(PROVISION_ERROR_CODES) as ProvisionErrorCode[]

  it('lists each code once, in kebab-case, with its own one-line doc', () => {
    expect(new Set(codes).size).toBe(codes.length)
    for (const code of codes) {
      expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      const doc = PROVISION_ERROR_CODES[code]
      expect(doc.trim(), code).not.toBe('')
      expect(doc, code).not.toContain('\n')
    }
    // Two codes with one meaning are twins: each doc tells its code apart.
    const docs = Object.values(PROVISION_ERROR_CODES)
    expect(new Set(docs).size).toBe(docs.length)
  })

  it('takes only a listed code (checked by typecheck)', () => {
    // @ts-expect-error 'file-not-found' was merged into 'not-found'; an unlisted code does not compile
    const wrong = new ProvisionError('file-not-found', 'x')
    expect(codes).not.toContain(wrong.code)
    expect(new ProvisionError('not-found', 'x').exitCode).toBe(ExitCode.badInput)
  })

  it('gives every exit code its own number, 70 for a bug and 130 for Ctrl-C', () => {
    const values = Object.values(ExitCode)
    expect(new Set(values).size).toBe(values.length)
    expect(ExitCode.internal).toBe(70)
    expect(ExitCode.interrupted).toBe(130)
  })
})
