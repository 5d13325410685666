// OpenAI adapter against the emulator with the real `openai` SDK. Wire details for OpenAI, Azure and
// OpenAI-compatible servers are in openai-variants.test.ts.

import { createOpenAIProvider } from '../../providers/index.ts'
import { FAKE_KEY, providerContract } from './provider-contract.ts'

providerContract('openai', (emu) => createOpenAIProvider({ apiKey: FAKE_KEY, baseUrl: `${emu.url}/v1` }))
