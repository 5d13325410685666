// Turns the scenario's second-person instructions ("You want to return…") into what the customer says
// ("I want to return…"), and the agent in the third person into "you".

const OBJECT_AFTER = /\b(to|for|with|tell|tells|told|ask|asks|asked|help|helps|give|gives|let|lets|send|sends|get|gets|call|calls|contact|contacts|offer|offers|show|shows|save|saves|cost|costs|owe|owes)\s+you\b/gi

export function toFirstPerson(text: string): string {
  return text
    .replace(/\bthe agent's\b/gi, 'your')
    .replace(OBJECT_AFTER, (_m, verb: string) => `${verb} me`)
    .replace(/\byou are\b/gi, (m) => cap(m, 'I am'))
    .replace(/\byou were\b/gi, (m) => cap(m, 'I was'))
    .replace(/\byou're\b/gi, 'I\'m')
    .replace(/\byou've\b/gi, 'I\'ve')
    .replace(/\byou'd\b/gi, 'I\'d')
    .replace(/\byou'll\b/gi, 'I\'ll')
    .replace(/\byourself\b/gi, 'myself')
    .replace(/\byours\b/gi, 'mine')
    .replace(/\byour\b/gi, (m) => cap(m, 'my'))
    .replace(/\byou\b/gi, 'I')
    .replace(/\bthe agent\b/gi, 'you')
    .replace(/^i\b/, 'I')
}

/** Keeps the capital of a sentence-initial match. */
function cap(match: string, replacement: string): string {
  return match[0] === match[0]!.toUpperCase() ? replacement[0]!.toUpperCase() + replacement.slice(1) : replacement
}

/** The sentence with its first letter in capitals and a closing full stop. */
export function sentence(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ')
  if (!t) return t
  const s = t[0]!.toUpperCase() + t.slice(1)
  return /[.!?]$/.test(s) ? s : `${s}.`
}
