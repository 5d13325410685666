// The `{{variables}}` of an agent's instructions: which names a template uses, which are known, and the
// rendering. An unknown name is an error when the agent is applied, never an empty string at run time.
const VARIABLE = /\{\{\s*([A-Za-z][A-Za-z0-9_.]*)\s*\}\}/g

/** Filled by the platform on each turn. */
export const BUILTIN_VARIABLES = ['agent.name', 'agent.language', 'tenant.id', 'customer.name', 'customer.segment', 'today'] as const

/** The variable names a template uses, in order of first use. */
export function templateVariables(template: string): string[] {
  return [...new Set([...template.matchAll(VARIABLE)].map((m) => m[1]!))]
}

/** Names the template uses that neither the platform nor `own` defines. */
export function unknownVariables(template: string, own: readonly string[]): string[] {
  const known = new Set<string>([...BUILTIN_VARIABLES, ...own])
  return templateVariables(template).filter((v) => !known.has(v))
}

/** Fills every `{{name}}`; a value the turn lacks (an anonymous customer's name) renders as an empty string. */
export function renderTemplate(template: string, values: Readonly<Record<string, string | undefined>>): string {
  return template.replace(VARIABLE, (_, name: string) => values[name] ?? '')
}
