// The vendor adapters, each loaded with its SDK on first use (lib/on-first-call.ts). Types come from the modules
// themselves; the values only through these.
import { onFirstCall } from '../lib/on-first-call.ts'

type OpenAI = typeof import('./openai/openai-provider.ts')
type Anthropic = typeof import('./anthropic/anthropic-provider.ts')
type Gemini = typeof import('./gemini/gemini-provider.ts')
type Bedrock = typeof import('./bedrock/bedrock-provider.ts')

export const createOpenAIProvider = onFirstCall(() => (require('./openai/openai-provider.ts') as OpenAI).createOpenAIProvider)
export const createAnthropicProvider = onFirstCall(() => (require('./anthropic/anthropic-provider.ts') as Anthropic).createAnthropicProvider)
export const createGeminiProvider = onFirstCall(() => (require('./gemini/gemini-provider.ts') as Gemini).createGeminiProvider)
export const createBedrockProvider = onFirstCall(() => (require('./bedrock/bedrock-provider.ts') as Bedrock).createBedrockProvider)
