// The retail GENERIC tools: arithmetic for the agent (a small parser, never eval) and the transfer to a
// human, whose actual handoff is the escalation pool's job once the agent has called it.
import { Type } from '@sinclair/typebox'
import { defineTool } from '../define.ts'
import { args } from './params.ts'
import { refuse } from './store.ts'

export const calculate = defineTool({
  name: 'calculate',
  description: 'Calculate the result of a mathematical expression.',
  type: 'GENERIC',
  parameters: args({
    expression: Type.String({
      description:
        "The mathematical expression to calculate, such as '2 + 2'. The expression can contain numbers, operators (+, -, *, /), parentheses, and spaces.",
    }),
  }),
  async run({ expression }) {
    if (!/^[0-9+\-*/(). ]*$/.test(expression)) refuse('Invalid characters in expression')
    const value = evaluate(expression)
    // τ²-bench answers str(round(x, 2)): Python prints whole floats as '4.0'.
    const rounded = Math.round(value * 100) / 100
    return Number.isInteger(rounded) ? `${rounded}.0` : String(rounded)
  },
})

export const transferToHumanAgents = defineTool({
  name: 'transfer_to_human_agents',
  description:
    "Transfer the user to a human agent, with a summary of the user's issue. Only transfer if - the user explicitly asks for a human agent - given the policy and the available tools, you cannot solve the user's issue.",
  type: 'GENERIC',
  parameters: args({ summary: Type.String({ description: "A summary of the user's issue." }) }),
  run: async () => 'Transfer successful',
})

/** Recursive descent over + - * / and parentheses with unary minus; anything else is a refusal. */
export function evaluate(expression: string): number {
  const tokens = expression.match(/\d+\.?\d*|\.\d+|[+\-*/()]/g) ?? []
  let pos = 0
  const peek = () => tokens[pos]
  const expr = (): number => {
    let v = term()
    while (peek() === '+' || peek() === '-') v = tokens[pos++] === '+' ? v + term() : v - term()
    return v
  }
  const term = (): number => {
    let v = factor()
    while (peek() === '*' || peek() === '/') {
      const op = tokens[pos++]
      const r = factor()
      if (op === '/' && r === 0) refuse('Division by zero')
      v = op === '*' ? v * r : v / r
    }
    return v
  }
  const factor = (): number => {
    const t = tokens[pos++]
    if (t === '-') return -factor()
    if (t === '+') return factor()
    if (t === '(') {
      const v = expr()
      if (tokens[pos++] !== ')') refuse('Invalid expression')
      return v
    }
    return t !== undefined && /^[\d.]/.test(t) ? Number(t) : refuse('Invalid expression')
  }
  const value = expr()
  if (pos !== tokens.length) refuse('Invalid expression')
  return value
}
