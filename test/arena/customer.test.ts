// The simulated customer: the scripted one reads the τ²-bench scenario (who, what, in which order, what it
// refuses), varies by seed and ends; the model-driven one talks through a vendor SDK to the emulator.
import { afterAll, describe, expect, test } from 'bun:test'
import { createVendorEmulator } from '../../emulator/index.ts'
import { createOpenAIProvider } from '../../providers/index.ts'
import { loadRetailTasks, modelCustomer, scriptedCustomer, MAX_CUSTOMER_TURNS, type RetailTask } from '../../arena/index.ts'
import { readPersona, readScenario } from '../../arena/customer/index.ts'

const tasks = await loadRetailTasks()
const task = (id: string) => tasks.find((t) => t.id === id)!

/** A fixed agent that asks for identity, then the order, then a confirmation, then offers more help. */
const AGENT = [
  'Could you please provide your email address so I can look up your account?',
  'Thank you, I found your account. Which order is it about? Please share the order id.',
  'I can do that. Do you want me to proceed? Please confirm (yes/no).',
  'Done. Is there anything else I can help you with?',
  'Done. Is there anything else I can help you with?',
  'Done. Is there anything else I can help you with?',
]

function transcript(t: RetailTask, seed: number): string[] {
  const customer = scriptedCustomer(t, seed)
  const said = [customer.opening()]
  for (const agent of AGENT) {
    const next = customer.reply(agent)
    if (next === null) break
    said.push(next)
  }
  return said
}

describe('scripted customer', () => {
  test('the same seed gives the same conversation; seeds vary it', () => {
    expect(transcript(task('2'), 7)).toEqual(transcript(task('2'), 7))
    const openings = new Set(Array.from({ length: 30 }, (_, seed) => scriptedCustomer(task('2'), seed).opening()))
    expect(openings.size).toBeGreaterThan(5)
    const identityFirst = [...openings].filter((o) => o.includes('Yusuf Rossi'))
    const requestFirst = [...openings].filter((o) => !o.includes('Yusuf Rossi'))
    expect(identityFirst.length).toBeGreaterThan(0)
    expect(requestFirst.length).toBeGreaterThan(0)
    // Several requests in one message for some seeds, one at a time for others.
    expect([...openings].some((o) => o.includes('tshirt') && o.includes('return'))).toBe(true)
    expect([...openings].some((o) => o.includes('tshirt') && !o.includes('return'))).toBe(true)
  })

  test('reads who the customer is and what they do not know', () => {
    expect(readPersona(task('0').user_scenario.instructions)).toMatchObject({ firstName: 'Yusuf', lastName: 'Rossi', zip: '19122', emails: [], forgetsEmail: true })
    expect(readPersona(task('6').user_scenario.instructions)).toMatchObject({ firstName: 'Mei', lastName: 'Kovacs', zip: '28236', userId: 'mei_kovacs_8020' })
    expect(readPersona(task('10').user_scenario.instructions)).toMatchObject({ emails: ['mia.garcia2723@example.com'], forgetsEmail: false, reserved: true })
    expect(readPersona(task('34').user_scenario.instructions)).toMatchObject({ firstName: 'Noah', lastName: 'Patel', zip: '10108' })
  })

  test('asked for an email it does not remember, it gives name and zip; asked for the order, the one it knows', () => {
    for (let seed = 0; seed < 10; seed++) {
      const c = scriptedCustomer(task('0'), seed)
      c.opening()
      let answer = c.reply(AGENT[0]!)!
      if (!answer.includes('19122')) answer = c.reply('I need it to verify your identity. Could you provide your email?')!
      expect(answer).toContain('Yusuf Rossi')
      expect(answer).toContain('19122')
      expect(answer).not.toContain('@')
      expect(c.reply(AGENT[1]!)).toContain('#W2378156')
    }
  })

  test('speaks in the first person and keeps secrets to itself', () => {
    const script = readScenario(task('13').user_scenario.instructions.reason_for_call)
    expect(script.requests.join(' ')).toMatch(/^I just got into gaming/)
    expect(script.requests.join(' ')).not.toMatch(/keyboard|reveal/)
    expect(script.requests.join(' ')).not.toMatch(/\byour\b/)
  })

  test('a conditional rule fires when the agent asks for confirmation, once', () => {
    const c = scriptedCustomer(task('6'), 1)
    c.opening()
    expect(c.reply('I will exchange the water bottle and the desk lamp. Do you want me to proceed?')).toBe('Only exchange the desk lamp.')
    expect(c.reply('Exchanging only the desk lamp. Shall I proceed?')).toMatch(/yes|confirmed/i)
  })

  test('order ids the scenario scripts in sequence: wrong first, then corrected, then the missing W', () => {
    const c = scriptedCustomer(task('46'), 3)
    c.opening()
    expect(c.reply('Could you give me the order id?')).toContain('9502126')
    expect(c.reply('I could not find that order. Can you double check?')).toContain('9502127')
    expect(c.reply('That order was not found either. Could you check again?')).toContain('forgot the \'W\'')
  })

  test('asked for a cancellation reason, it gives the scenario\'s reason for that item; "if you ask me to confirm, I regret" is a rule', () => {
    const ask = (item: string) => `Order #W1 is pending. It contains: ${item} (x), item 1, $3. What is the reason: "no longer needed" or "ordered by mistake"?`
    const c = scriptedCustomer(task('76'), 0)
    c.opening()
    expect(c.reply(ask('Fleece Jacket'))).toBe('I ordered it by mistake.')
    expect(c.reply(ask('Skateboard'))).toBe('I no longer need it.')
    const reasonInStyle = scriptedCustomer(task('113'), 0) // "If asked for reason, say you ordered the items by mistake" (task instructions)
    reasonInStyle.opening()
    expect(reasonInStyle.reply(ask('Makeup Kit'))).toBe('I ordered it by mistake.')
    const regrets = scriptedCustomer(task('24'), 0)
    expect(regrets.opening()).not.toMatch(/confirm|regret/)
    expect(regrets.reply('I have looked up several records and need a few more. Shall I keep looking?')).toMatch(/yes|confirmed/i)
    expect(regrets.reply('To confirm: cancel order #W3561391, reason: no longer needed. Shall I go ahead? Please reply "yes" to confirm.')).toBe('No, I regret and want to keep it.')
  })

  test('"do not say yes immediately, because you also want …": at the proposal it says what it also wants, not yes', () => {
    const c = scriptedCustomer(task('92'), 0)
    c.opening()
    expect(c.reply('To confirm, return the two skateboards. Shall I go ahead? Please reply "yes" to confirm.')).toBe('Not yet: I also want to return the smart watch and e-reader.')
  })

  test('asked which order, it names the one id of its request; with two ids and no way to tell, it does not pick one', () => {
    const c = scriptedCustomer(task('59'), 0)
    c.opening()
    expect(c.reply('Which order would you like to cancel? Please give me its order id.')).not.toMatch(/#W\d{7}/)
  })

  test('"if the agent asks which vacuum cleaner / which laptop, …" answers a "which one" or "which order" question, not a request of its own', () => {
    const vacuum = scriptedCustomer(task('46'), 0)
    vacuum.opening()
    expect(vacuum.reply('Order #W1 has more than one Vacuum Cleaner: … Which one would you like to return?')).toBe('The robotic one.')
    expect(readScenario(task('93').user_scenario.instructions.reason_for_call).requests.join(' ')).not.toContain('15-inch')
    const laptop = scriptedCustomer(task('93'), 2)
    laptop.opening()
    laptop.reply('Please share your email, or your first and last name together with your zip code.')
    expect(laptop.reply('What you named is in more than one order: … Which order would you like to change items in? Please give me its order id.')).toBe('It is 15-inch, 32GB.')
  })

  test('"when the agent asks you to confirm, you … only modify the backpack" waits for the proposal to modify, not the address one before it', () => {
    const c = scriptedCustomer(task('72'), 0)
    c.opening()
    expect(c.reply('To confirm, ship order #W1 to: 159 Hickory Lane, Charlotte, NC 28243, USA. Shall I go ahead? Please reply "yes" to confirm.')).toMatch(/yes|confirmed/i)
    expect(c.reply('To confirm, modify in order #W1: Backpack (navy) → Backpack (grey). Shall I go ahead? Please reply "yes" to confirm.')).toContain('only modify the backpack')
  })

  test('asked how to pay, it says the payment wish of its scenario then, not later as a request; a whole-order cancellation is declined for "only the skateboard"', () => {
    const c = scriptedCustomer(task('52'), 1)
    c.opening()
    expect(c.reply('Which payment method should settle the price difference? On your profile: paypal_8194385; visa card ending 6791.')).toMatch(/PayPal/)
    const only = scriptedCustomer(task('99'), 0)
    only.opening()
    let said = ''
    for (let i = 0; i < 6 && !/only the skateboard/.test(said); i++) said = only.reply('Done. Is there anything else I can help you with?') ?? ''
    expect(only.reply('To confirm: cancel order #W8855135 (Air Purifier (medium), item 1, $5; Skateboard (plastic), item 2, $3). Shall I go ahead?')).toBe('No, I only want to cancel the skateboard.')
  })

  test('an account not found by its first email: it tries its other email, then has nothing more to try', () => {
    const notFound = 'I could not find an account with those details. Could you check them, or try your email address or your first and last name with your zip code?'
    const c = scriptedCustomer(task('35'), 0)
    const first = /[\w.]+@example\.com/.exec(`${c.opening()} ${c.reply('Please share the email address on your account.')}`)?.[0]
    const second = c.reply(notFound)
    expect(second).toMatch(/@example\.com/)
    expect(second).not.toContain(first!)
    expect(c.reply(notFound)).not.toMatch(/@example\.com/)
  })

  test('a fact marked secret ("the correct item id is … (do not share this)") is never said; the request around it is', () => {
    const said = readScenario(task('29').user_scenario.instructions.reason_for_call).requests.join(' ')
    expect(said).toContain('garden hose I received for the type that is in my pending order')
    expect(said).not.toMatch(/\d{10}/)
  })

  test('asked how to pay, it says its conditional payment wish; with none, it leaves the choice to the agent', () => {
    const ask = 'Which payment method should settle the price difference? On your profile: gift card gift_card_1 (balance $85.00); mastercard card ending 4127.'
    const wish = scriptedCustomer(task('58'), 0)
    wish.opening()
    expect(wish.reply(ask)).toMatch(/gift card/i)
    const none = scriptedCustomer(task('41'), 0)
    none.opening()
    expect(none.reply(ask)).toBe('I have no preference.')
  })

  test('asked for the new address, it gives the one its scenario says it lives at', () => {
    const c = scriptedCustomer(task('41'), 0)
    c.opening()
    expect(c.reply('What is the new address? Please give the street, any apartment or suite, the city, the state, the 5-digit post code and the country.'))
      .toBe('It\'s 445 Maple Drive, Suite 394, Fort Worth, Texas, 76165.')
  })

  test('"once the agent has confirmed the changes, you regret it": said after the changes are reported, not at the proposal', () => {
    const c = scriptedCustomer(task('22'), 0)
    c.opening()
    expect(c.reply('To confirm, make this the default address of your account: 101 Highway, New York, NY 10001, USA. Shall I go ahead? Please reply "yes" to confirm.')).toMatch(/yes|confirmed/i)
    expect(c.reply('Order #W1 will now ship to 101 Highway. Let me know if there is anything else I can help you with.')).toMatch(/regret.*back to the original address/)
  })

  test('a standing payment wish is said each time; a rule about the second request fires for it, not the first one\'s', () => {
    const ask = 'Which payment method should settle the price difference? On your profile: visa card ending 6791; mastercard card ending 8484.'
    const wish = scriptedCustomer(task('99'), 0)
    wish.opening()
    expect(wish.reply(ask)).toMatch(/visa/)
    expect(wish.reply(ask)).toMatch(/visa/)
    const c = scriptedCustomer(task('76'), 0) // one request at a time: the fleece jacket, then the skateboard
    c.opening()
    expect(c.reply('Thanks, I have verified your account. Is there anything else I can help you with?')).toMatch(/skateboard/)
    expect(c.reply('A Skateboard with exactly what you described is not available. Available options: …')).toMatch(/no longer need/)
    // All said at once (seed 1), the fleece jacket's proposal confirmed as it stands: the skateboard's refusal gets the skateboard's rule.
    const bundled = scriptedCustomer(task('76'), 1)
    expect(bundled.opening()).toMatch(/fleece jacket.*skateboard/)
    expect(bundled.reply('A Skateboard with exactly what you described is not available. Available options: …')).toMatch(/no longer need/)
  })

  test('"make sure you mention these at the same time": the requests before it are one message', () => {
    const requests = readScenario(task('98').user_scenario.instructions.reason_for_call).requests
    expect(requests[0]).toMatch(/Bicycle.*Jigsaw Puzzle/)
  })

  test('what it would accept instead and how it wants the refund are said with the request; "if not allowed, get …" waits for a refusal', () => {
    const offer = readScenario(task('91').user_scenario.instructions.reason_for_call)
    expect(offer.requests).toContain('I also want to return the e-reader I just bought. If the same item is available online, I\'m willing to exchange it to the same item.')
    expect(offer.rules).toContainEqual(expect.objectContaining({ trigger: 'refusal', say: 'Get the 32GB storage E-Reader instead.' }))
    // "Make sure you mention these at the same time": the bicycle and the puzzle in one request.
    expect(readScenario(task('99').user_scenario.instructions.reason_for_call).requests[0]).toMatch(/^I want to exchange my Bicycle .* The Jigsaw Puzzle in the same order also needs to be exchanged/)
    const refund = readScenario(task('11').user_scenario.instructions.reason_for_call)
    expect(refund.requests[0]).toBe('I want to return all things ordered. I have two payment methods and two orders, and I want to refund each order to the other order\'s payment method.')
    // An option list with "yes" in it asks for no confirmation: the refusal before it is what the customer answers.
    const c = scriptedCustomer(task('107'), 0)
    c.opening()
    expect(c.reply('I cannot give you the same item as Hiking Boots (10, leather, yes). Which one would you like instead? Hiking Boots (9, leather, yes).'))
      .toBe('Get the hiking boots with a size 9 but made of leather, they also need to be waterproof.')
  })

  test('a "but if" inside parentheses stays with the request it qualifies; one outside them is a rule of its own', () => {
    const inside = readScenario('You want to know your tracking number. Also you want to exchange or return the tablet (you prefer exchange for the same item, but if it is not available just return it). And finally, you want to return the sneaker.')
    expect(inside.requests[1]).toBe('Also I want to exchange or return the tablet (I prefer exchange for the same item, but if it is not available just return it).')
    expect(inside.rules).toEqual([])
    const outside = readScenario('You want to cancel the grill, but if the agent asks you to confirm, you regret and want to keep it.')
    expect(outside.requests).toEqual(['I want to cancel the grill.'])
    expect(outside.rules).toContainEqual(expect.objectContaining({ trigger: 'confirmation' }))
  })

  test('"Well, except the boots you love" narrows the request before it and is said with it', () => {
    const script = readScenario('You want to cancel or return all possible orders.  Well, except the boots that you really love. At the end, you ask the agent how much money you will get back.')
    expect(script.requests).toEqual(['I want to cancel or return all possible orders. Well, except the boots that I really love.', 'At the end, can you tell me how much money I will get back.'])
  })

  test('it refuses what the scenario says it does not want', () => {
    const c = scriptedCustomer(task('29'), 1)
    c.opening()
    expect(c.reply('I could cancel your pending order instead. Do you want me to proceed?')).toMatch(/^No, I don't want to cancel/)
  })

  test('asked what it wants done, it names the action its first condition presupposes, and no other', () => {
    const presumed = readScenario('Due to some life changes, you no longer need hiking boots and a watch. If cancelling part of the order is not possible, you don\'t care, just cancel the whole order.')
    expect(presumed.presumedAction).toBe('cancel')
    const conditional = readScenario('You wonder when your order is arriving. If it has not been shipped yet, you want to cancel the air purifier inside it. If you cannot cancel just the air purifier, you want to cancel the whole order.')
    expect(conditional.presumedAction).toBeUndefined()
    const c = scriptedCustomer(task('81'), 0)
    c.opening()
    expect(c.reply('I can help with your orders: checking an order, cancelling or changing a pending order, or returning or exchanging delivered items. What would you like to do?'))
      .toBe('I want to cancel them.')
  })

  test('ends when it has nothing left to ask, on a transfer, and after a bounded number of messages', () => {
    const done = scriptedCustomer(task('50'), 1)
    done.opening()
    expect(done.reply('I have restored it. Is there anything else I can help you with?')).toBeNull()
    const moved = scriptedCustomer(task('2'), 1)
    moved.opening()
    expect(moved.reply('YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.')).toBeNull()
    const stuck = scriptedCustomer(task('0'), 1)
    stuck.opening()
    let turns = 1
    while (stuck.reply('Could you please provide your email address?') !== null) turns++
    expect(turns).toBe(MAX_CUSTOMER_TURNS)
  })

  test('answers a question with a question now and then, and the answer follows', () => {
    const countered = Array.from({ length: 40 }, (_, seed) => {
      const c = scriptedCustomer(task('3'), seed)
      c.opening()
      return [c.reply('Please provide your name and zip code.')!, c.reply('It is needed to verify your identity.')!]
    }).filter(([first]) => first!.endsWith('?'))
    expect(countered.length).toBeGreaterThan(0)
    for (const [, second] of countered) expect(second).toContain('19122')
  })

  test('every training task yields an opening and at least one request', () => {
    for (const t of tasks) {
      expect(readScenario(t.user_scenario.instructions.reason_for_call).requests.length, t.id).toBeGreaterThan(0)
      expect(scriptedCustomer(t, 1).opening().length, t.id).toBeGreaterThan(10)
    }
  })
})

describe('model-driven customer', () => {
  const emu = createVendorEmulator()
  afterAll(() => emu.close())

  test('plays the scenario through the vendor SDK and ends on its marker', async () => {
    const provider = createOpenAIProvider({ flavor: 'compatible', baseUrl: `${emu.url}/v1`, apiKey: 'test' })
    emu.script(
      { reply: { text: 'Hi, I want to exchange a keyboard from order #W2378156.', usage: { inputTokens: 50, outputTokens: 12 } } },
      { reply: { text: 'Yusuf Rossi, 19122.' } },
      { reply: { text: '###END###' } },
    )
    const c = modelCustomer(task('0'), 4, { provider, model: 'customer-model' })
    expect(await c.opening()).toContain('#W2378156')
    expect(await c.reply('Please give your name and zip code.')).toBe('Yusuf Rossi, 19122.')
    expect(await c.reply('Done. Anything else?')).toBeNull()
    const [first, second] = emu.requests
    expect(first!.system).toContain('wish to exchange the mechanical keyboard')
    expect(first!.system).toContain('You do not remember your email address')
    expect(second!.messages.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(c.usage.inputTokens).toBeGreaterThanOrEqual(50)
  })
})
