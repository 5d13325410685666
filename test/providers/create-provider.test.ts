// createProvider / parseProviderSpec: plain config in, a named provider out, clear errors without secrets.

import { expect, test } from 'bun:test'
import { TerminalError } from '../../lib/errors.ts'
import { createProvider, parseProviderSpec } from '../../providers/index.ts'

const SECRET = 'sk-live-abcdef0123456789'

test('each vendor builds a provider named after its config', () => {
  const specs = [
    { vendor: 'openai', apiKey: SECRET },
    { vendor: 'azure-openai', apiKey: SECRET, baseUrl: 'https://r.openai.azure.com', apiVersion: '2024-10-21' },
    { vendor: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1' },
    { vendor: 'ollama' },
    { vendor: 'anthropic', apiKey: SECRET },
    { vendor: 'gemini', apiKey: SECRET },
    { vendor: 'bedrock', region: 'eu-west-1', name: 'bedrock-eu' },
    { vendor: 'anthropic-bedrock', region: 'us-east-1', credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: SECRET } },
    { vendor: 'anthropic-vertex', region: 'us-east5', projectId: 'acme', accessToken: SECRET },
    { vendor: 'gemini-vertex', project: 'acme', location: 'europe-west4', accessToken: SECRET },
  ]
  expect(specs.map((s) => createProvider(s).name)).toEqual([
    'openai', 'azure-openai', 'openai-compatible', 'ollama', 'anthropic', 'gemini', 'bedrock-eu',
    'anthropic-bedrock', 'anthropic-vertex', 'gemini-vertex',
  ])
})

test('an unknown vendor lists the known ones', () => {
  expect(() => parseProviderSpec({ vendor: 'acme' })).toThrow(/vendor must be one of openai, azure-openai/)
  expect(() => parseProviderSpec(null)).toThrow(TerminalError)
})

test('invalid fields are named by path, and values (keys) are never echoed', () => {
  let caught: unknown
  try {
    parseProviderSpec({ vendor: 'azure-openai', apiKey: SECRET, baseUrl: 'not a url' })
  } catch (e) {
    caught = e
  }
  expect(caught).toBeInstanceOf(TerminalError)
  const err = caught as TerminalError
  expect(err.code).toBe('config.invalid')
  expect(err.message).toContain('/baseUrl')
  expect(err.message).toContain('/apiVersion')
  expect(err.message).not.toContain(SECRET)
})

test('the cloud-platform variants name their missing location fields', () => {
  expect(() => parseProviderSpec({ vendor: 'anthropic-vertex', region: 'us-east5' })).toThrow(/\/projectId/)
  expect(() => parseProviderSpec({ vendor: 'anthropic-bedrock' })).toThrow(/\/region/)
  expect(() => parseProviderSpec({ vendor: 'gemini-vertex', project: 'acme' })).toThrow(/\/location/)
})

test('a missing api key is rejected for vendors that need one', () => {
  expect(() => parseProviderSpec({ vendor: 'anthropic' })).toThrow(/\/apiKey/)
  expect(() => parseProviderSpec({ vendor: 'openai', apiKey: '' })).toThrow(/\/apiKey/)
})
