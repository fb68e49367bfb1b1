import { readFileSync } from 'node:fs'

const cache = new Map<string, string>()

/** The text of a file in src/provision/templates (copied to dist/provision/templates by the build). */
export function readTemplate(name: string): string {
  let text = cache.get(name)
  if (text === undefined) {
    text = readFileSync(new URL(`./templates/${name}`, import.meta.url), 'utf8')
    cache.set(name, text)
  }
  return text
}

/** Fills `{{key}}` placeholders; a placeholder without a value is a bug, not a blank. */
export function renderTemplate(
  name: string,
  values: Readonly<Record<string, string | number | boolean>>,
): string {
  return readTemplate(name).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key]
    if (value === undefined) throw new Error(`template ${name}: no value for {{${key}}}`)
    return String(value)
  })
}
