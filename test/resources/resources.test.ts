// The resource documents: defaults, every problem named by its path, the checks the schema cannot express, what a
// tenant may not declare, diffs between versions and the instructions' variables. Pure functions, no services.
import { describe, expect, test } from 'bun:test'
import {
  diffSpecs, InvalidResourceError, parseResourceDocuments, renderTemplate, tenantWriteProblems, validateSpec,
} from '../../resources/index.ts'
import { isPrivateAddress } from '../../agents/index.ts'

const problemsOf = (fn: () => unknown): Array<{ path: string; message: string }> => {
  try {
    fn()
  } catch (e) {
    if (e instanceof InvalidResourceError) return e.details
    throw e
  }
  return []
}

describe('validation', () => {
  test('an agent gets its defaults, and the platform scope when it names no tenant', () => {
    expect(validateSpec('Agent', { instructions: 'Help.' })).toEqual({ instructions: 'Help.', tenant: '*', tools: [], mode: 'execute', language: 'en' })
  })

  test.each([
    ['a misspelt field', { instructions: 'Help.', toools: [] }, '/spec/toools'],
    ['an unknown mode', { instructions: 'Help.', mode: 'auto' }, '/spec/mode'],
    ['no instructions', {}, '/spec/instructions'],
    ['a routing policy and a provider', { instructions: 'x', model: { routingPolicy: 'a', provider: 'b' } }, '/spec/model'],
    ['a fallback without a provider', { instructions: 'x', model: { routingPolicy: 'a', fallback: ['local'] } }, '/spec/model'],
    ['an unknown workflow', { instructions: 'x', workflows: ['launch'] }, '/spec/workflows/0'],
    ['an unknown variable', { instructions: 'Hi {{customer.age}}' }, '/spec/instructions'],
    ['a tool listed twice', { instructions: 'x', tools: ['a', 'a'] }, '/spec/tools'],
  ])('%s is refused at its path', (_, spec, path) => {
    expect(problemsOf(() => validateSpec('Agent', spec)).map((p) => p.path)).toContain(path)
  })

  test('an HTTP tool needs object parameters whose required names exist; an MCP server exactly one transport', () => {
    const tool = { description: 'd', type: 'READ', http: { url: 'https://x.example/a' } }
    expect(problemsOf(() => validateSpec('Tool', { ...tool, parameters: { type: 'string' } })).map((p) => p.path)).toEqual(['/spec/parameters/type'])
    expect(problemsOf(() => validateSpec('Tool', { ...tool, parameters: { type: 'object', properties: {}, required: ['id'] } })))
      .toEqual([{ path: '/spec/parameters/required', message: '"id" is not a property' }])
    expect(problemsOf(() => validateSpec('McpServer', { transport: {} }))).toEqual([{ path: '/spec/transport', message: 'set exactly one of http or stdio' }])
  })

  test('a YAML file names the document and the path of the problem', () => {
    const text = `apiVersion: switchboard.dev/v1alpha1\nkind: Agent\nmetadata: { name: ok }\nspec: { instructions: hi }\n---\n`
      + `apiVersion: switchboard.dev/v1alpha1\nkind: Agent\nmetadata: { name: bad }\nspec: { instructions: hi, mode: nope }\n`
    expect(() => parseResourceDocuments(text, 'agents.yaml')).toThrow(/agents\.yaml #2 \(Agent bad\): \/spec\/mode/)
    expect(() => parseResourceDocuments('kind: Robot\n', 'x.yaml')).toThrow(/\/apiVersion.*\/kind.*\/metadata\/name/)
  })
})

describe('what a tenant may declare through the API', () => {
  test('no environment secrets, no stdio commands, no other tenant', () => {
    const tool = { http: { url: 'https://x.example', auth: { secretRef: { env: 'DATABASE_URL' } } } }
    expect(tenantWriteProblems('Tool', tool, 'acme').map((p) => p.path)).toEqual(['/spec/http/auth/secretRef/env'])
    expect(tenantWriteProblems('McpServer', { transport: { stdio: { command: 'sh' } } }, 'acme').map((p) => p.path)).toEqual(['/spec/transport/stdio'])
    expect(tenantWriteProblems('Agent', { tenant: 'globex' }, 'acme').map((p) => p.path)).toEqual(['/spec/tenant'])
    expect(tenantWriteProblems('Tool', { http: { auth: { secretRef: { secret: 'token' } } } }, 'acme')).toEqual([])
  })

  test('addresses inside the platform network are recognised', () => {
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fd00::1', '::ffff:127.0.0.1']) {
      expect(isPrivateAddress(ip)).toBe(true)
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '2001:4860::8888']) expect(isPrivateAddress(ip)).toBe(false)
  })
})

test('a diff lists what was added, removed and changed, path by path', () => {
  const before = { instructions: 'a', tools: ['x'], model: { provider: 'openai', model: 'm1' } }
  const after = { instructions: 'a', tools: ['x', 'y'], model: { provider: 'openai', model: 'm2' }, greeting: 'hi' }
  expect(diffSpecs(before, after)).toEqual([
    { path: '/greeting', op: 'added', after: 'hi' },
    { path: '/model/model', op: 'changed', before: 'm1', after: 'm2' },
    { path: '/tools', op: 'changed', before: ['x'], after: ['x', 'y'] },
  ])
})

test('instructions are filled per turn; a value the turn lacks is empty', () => {
  expect(renderTemplate('Hi {{ customer.name }}, today is {{today}}. {{customer.segment}}', { 'customer.name': 'Ada', today: '2026-12-04' }))
    .toBe('Hi Ada, today is 2026-12-04. ')
})
