// Reads a routing policy from YAML text: syntax errors with their line, schema errors with their path
// (`/spec/rules/2/chain/0: unknown model "gpt-5"`), then the cross-field checks. Pure: text in, policy out.
import { Value } from '@sinclair/typebox/value'
import { parseDocument } from 'yaml'
import { AppError } from '../../lib/errors.ts'
import { compileRoutingPolicy, type CompiledRoutingPolicy } from './compiled-policy.ts'
import { RoutingPolicy } from './routing-policy.ts'

// One mistake often trips several union branches; a handful of lines is what an operator can act on.
const MAX_PROBLEMS = 12

/** Parses and validates one RoutingPolicy document; throws `config.invalid` naming every bad path. */
export function parseRoutingPolicy(text: string, source = 'routing policy'): RoutingPolicy {
  const doc = parseDocument(text, { prettyErrors: true })
  if (doc.errors.length > 0) {
    throw new AppError('config.invalid', `${source}: ${doc.errors.map((e) => e.message.split('\n')[0]).join('; ')}`)
  }
  const value: unknown = doc.toJS()
  const problems = [...Value.Errors(RoutingPolicy, value)].map((e) => `${e.path || '/'}: ${e.message}`)
  if (problems.length > 0) {
    const unique = [...new Set(problems)].slice(0, MAX_PROBLEMS)
    throw new AppError('config.invalid', `${source}: ${unique.join('; ')}`)
  }
  return value as RoutingPolicy
}

/**
 * YAML text to decisions in one step: what a policy file watcher calls on each change.
 * @example const policy = loadRoutingPolicy(readFileSync('policies/routing.example.yaml', 'utf8'))
 */
export function loadRoutingPolicy(text: string, source = 'routing policy'): CompiledRoutingPolicy {
  return compileRoutingPolicy(parseRoutingPolicy(text, source), source)
}
