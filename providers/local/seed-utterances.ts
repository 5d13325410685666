// Retail-demo utterances written for Switchboard (not from Bitext) and added to training only: Bitext
// has no "return an item" intent and phrases order tracking differently from the retail dialogues.
// Held-out accuracy is always measured on Bitext text alone, so these never flatter the reported number.
import type { LabelledUtterance } from './dataset.ts'

const seeds: Record<string, string[]> = {
  return_order: [
    'I want to return an item', 'I want to return my order', 'how do I return the shoes I bought',
    'I would like to send back the jacket', 'return order #W1234567', 'can I return something I received',
    'I need to return a delivered item', 'start a return for my order', 'the headphones do not fit, I want to return them',
    'return the water bottle and the office chair', 'I received the wrong size and want to return it',
    'help me return a product', 'I want to send this back for a refund', 'return request for my last order',
  ],
  track_order: [
    'where is my order', 'where is my order #W1234567', 'track my package', 'has my order shipped yet',
    'what is happening with my order', 'I have not received my order', 'my order has not arrived',
    'can you check on my order', 'what is the tracking number for my order', 'is my order delivered',
    'where is my package', 'order status please',
  ],
  cancel_order: [
    'cancel my pending order', 'I no longer need the order, please cancel it', 'I ordered by mistake, cancel it',
    'please cancel order #W1234567', 'stop my order before it ships', 'I want to cancel what I just ordered',
  ],
  recover_password: [
    'I cannot log in to my account', 'I am locked out of my account', 'I forgot my login details',
    'my password does not work', 'help me get back into my account', 'reset my password',
  ],
  edit_account: [
    'what details do you have on my account', 'show me my profile', 'what email is on my account',
    'check my account information', 'which payment methods are saved on my account',
  ],
}

/** The seed utterances as labelled training examples, in a fixed order. */
export function seedUtterances(): LabelledUtterance[] {
  return Object.entries(seeds).flatMap(([intent, texts]) => texts.map((text) => ({ text, intent })))
}
