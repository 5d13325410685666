// The signals of prompt injection and jailbreaks, as weighted pattern families over folded text (see
// normalize.ts). Weights are the evidence one family gives on its own; the detector combines families.
// Tuned on the tuning half of the injection corpus only (bench/guardrails/corpora.ts).

/** A family of patterns that all mean the same thing. */
export interface SignalFamily {
  name: InjectionSignal
  weight: number
  patterns: RegExp[]
  /** Only in text the agent reads rather than the customer writes (tool results, retrieved passages). */
  contextOnly?: boolean
}

export type InjectionSignal =
  | 'override' | 'role_play' | 'system_prompt' | 'other_customer_data' | 'fake_role_marker'
  | 'addressed_to_ai' | 'authority_claim' | 'jailbreak_vocabulary' | 'encoded_payload'

const VERB = '(?:ignore|disregard|forget|skip|bypass|override|overrule|neglect|omit|cancel|drop|abandon|pay no attention to|do not (?:follow|obey|apply)|don\'?t (?:follow|obey|apply)|stop (?:following|obeying))'
const OBJECT = '(?:instructions?|rules|guidelines|directives?|prompts?|polic(?:y|ies)|programming|restrictions|commands?|constraints|system message|training|safeguards|filters)'
const WIDE = '[^.!?\\n]{0,60}?'
// Someone other than the customer writing: people in general, relations, third-person pronouns.
const PEOPLE = '(?:(?:the |an?other |other |all |every |any |some )?(?:customers?|users?|people|persons?|someone|somebody|anyone|everyone|everybody|clients?|members?|shoppers?))'
const THIRD_PARTY = `(?:${PEOPLE}|my (?:wife|husband|son|daughter|mother|mom|father|dad|neighbou?r|friend|boss|ex|ex-wife|ex-husband|colleague|coworker|partner|brother|sister|roommate)|her|him)`
const PERSONAL_DATA = '(?:e-?mails?(?: address(?:es)?)?|address(?:es)?|phone(?: numbers?)?|orders?|order history|details|payment methods?|cards?(?: numbers?)?|balances?|accounts?|purchases|contact(?: details| info)?|passwords?|names)'
const AI = '(?:ai|assistant|language model|llm|chatbot|bot|agent|model)s?'

export const families: SignalFamily[] = [
  {
    name: 'override', weight: 0.9, patterns: [
      new RegExp(`\\b${VERB}\\b${WIDE}\\b(?:previous|prior|above|earlier|preceding|initial|original|all|any|your|the|these|those|every|system)\\b${WIDE}\\b${OBJECT}\\b`),
      new RegExp(`\\b${VERB} (?:everything|all) (?:you (?:were|have been) (?:told|taught|given)|(?:you )?(?:learned|know) before|above|before)`),
      /\b(?:new|updated|real|actual|revised) (?:system )?(?:instructions?|rules|task|directives?|prompt)\s*(?::|are|is|follow)/,
      /\byour (?:new|real|only|actual) (?:task|job|goal|purpose|instructions?) (?:is|are|will be)\b/,
      /\b(?:rules|instructions|restrictions|polic(?:y|ies)|guidelines)(?: you were given| above)? (?:are|is|have been|has been) (?:now )?(?:void|lifted|disabled|removed|cancell?ed|suspended|revoked|changed|overridden)\b/,
      /\b(?:rules|polic(?:y|ies)|guidelines|restrictions)\b[^.!?\n]{0,30}\b(?:do(?:es)? not|don'?t|no longer) apply\b/,
      /\b(?:skip|bypass|without|no need for|don'?t need(?: to do)?) (?:the |any |my )?(?:identity |user )?(?:authentication|verification|verifying|identity checks?|confirmation(?: step| requirement)?)\b/,
      /\bfrom now on,? you (?:will|are going to|must|shall|should) (?:only )?(?:obey|answer|respond|follow|act|do|comply|behave)\b/,
      /\b(?:obey|comply with|follow) (?:only )?(?:me|my (?:commands|instructions|orders))\b(?! to)/,
      /\b(?:reset|wipe|clear) your (?:instructions|rules|memory|prompt|guidelines)\b/,
      /\bignor(?:e|ar|iere|ez|a) (?:todas las|alle|les|tutte le) (?:instrucciones|vorherigen|instructions|istruzioni)/,
      /\b(?:ignore|forget|disregard) (?:your|the) (?:programming|policy|rules|guidelines|training|retail policy)\b/,
      /\bstop being (?:a|an|the) [a-z ]{0,20}(?:bot|assistant|agent)\b/,
      new RegExp(`\\b${VERB} (?:all )?(?:of )?(?:the |everything )?(?:above|before|previous|prior|preceding)\\b`),
      /\b(?:forget|skip|ignore|drop) (?:about )?(?:the )?(?:confirmation|verification|authentication|identity check)/,
    ],
  },
  {
    name: 'role_play', weight: 0.75, patterns: [
      /\b(?:developer|dev|god|dan|debug|admin|jailbreak|unrestricted|unfiltered|sudo|opposite|evil) mode\b/,
      /\bdo anything now\b|\bjailbr(?:oken|eak)\b|\bdan\b(?= |,|\.|$)/,
      /\b(?:you are|you're|you will be|youre) (?:now|no longer|going to (?:act|play|pretend|be))\b/,
      /\b(?:pretend|imagine|suppose)(?: that)? (?:to be|you(?:'re| are| were| have)|yourself)\b/,
      /\bact(?:ing)? as (?:an? |my |the )?(?:[a-z-]+ ){0,3}(?:ai|assistant|model|bot|chatbot|terminal|character|hacker|accomplice|dan|developer|administrator|admin|database)\b/,
      /\b(?:role-?play(?:ing)?|stay in character|in character as|break character|persona)\b/,
      /\b(?:no|without(?: any)?|free of(?: all)?|not bound by(?: any)?|broken free of(?: the)?|not limited (?:by|to)|never refuses?)\b[^.!?\n]{0,25}\b(?:rules|restrictions|filters|guidelines|limits|limitations|content polic(?:y|ies)|censorship|ethics|morals|policy|confines|verification steps)\b/,
      /\bsimulat(?:e|ion|ing)\b[^.!?\n]{0,40}\b(?:ai|model|version of yourself|chatbot|virtual machine|terminal|mode)\b/,
      /\b(?:answer|respond|reply)(?: to every [a-z]+| all prompts)? (?:twice|in two (?:different |separate )?ways)\b|\btwo (?:entities|personalities|responses to every)\b/,
      /\bhypothetical(?:ly)?\b[^.!?\n]{0,60}\b(?:no rules|no restrictions|in character|language model|ai|system prompt)\b/,
      /\b(?:switch|enter|enable|activate|turn on) (?:to |into )?(?:[a-z]+ )?mode\b[^.!?\n]{0,30}\b(?:no|stop|without|unrestricted|refus)/,
      /\bplay (?:the role|a game)\b[^.!?\n]{0,60}\b(?:you are|ai|bot|no rules|refunds?)\b/,
      /\bi want you to act as\b|\bbehave as if you were\b|\b(?:pose|posing) as\b/,
      /\bfrom now on,? (?:you are|you're|you will be)\b|\byou will (?:play|be playing|act)\b|\band you (?:will|are going to|'ll) be (?:a|an|the|my)\b/,
      /\blet'?s (?:act out|play|imagine|pretend|do a role-?play)\b|\b(?:continue|respond|answer) as [a-z]+ (?:language model|ai|model)\b/,
      /\benable\b[^.!?\n]{0,40}\bmode\b/,
    ],
  },
  {
    name: 'system_prompt', weight: 0.85, patterns: [
      /\b(?:system|initial|hidden|secret|original|internal|pre-?|developer|full|confidential)[ -]?(?:prompt|instructions|message|guidelines|rules)\b/,
      /\b(?:your|the ai'?s?|the assistant'?s?) (?:prompt|instructions|configuration|config|rules|guidelines|directives|programming)\b[^.!?\n]{0,30}\b(?:verbatim|exactly|word for word|in full|all of them|code block|base64|one letter)/,
      /\b(?:show|print|reveal|repeat|output|display|leak|dump|paste|translate|summari[sz]e|quote|spell out|encode|give|tell|send|list|write)\b[^.!?\n]{0,30}\b(?:your|the (?:full|entire|initial|original|hidden|complete|system|secret)) (?:(?:full|entire|initial|original|hidden|complete|first line of your) )?(?:prompt|instructions|configuration|context window|pre-prompt|directives|programming)\b/,
      /\b(?:raw|full) (?:request|response|payload|api response)s?\b/,
      /\b(?:instructions|rules|prompt|guidelines) (?:your (?:developers?|creators?|makers?|owners?)|you were|they) (?:gave|given|wrote|set)\b/,
      /\brepeat (?:the )?(?:words|text|everything|all) (?:above|before)\b|\beverything before this (?:message|line)\b/,
      /\bwhat (?:were you|have you been|are you) (?:told|programmed|instructed|trained|given)\b|\brules were you (?:programmed|given|trained)\b/,
      /\b(?:api[ _-]?keys?|secret keys?|access tokens?|environment variables|admin (?:panel )?password|password for the admin|auth(?:entication|orization)? headers)\b/,
      /\b(?:internal|admin[- ]only) (?:api|endpoints|functions|tools|systems)\b|\bdatabase schema\b|\/debug\b/,
      /\b(?:dump|print|show) (?:your )?(?:context|memory|configuration|logs|system logs)\b/,
    ],
  },
  {
    name: 'other_customer_data', weight: 0.8, patterns: [
      /\b(?:all|every|other|another|random|\d+|the other)\s+(?:customers?|users?|accounts?|people)(?:'s?)?\b[^.!?\n]{0,40}\b(?:emails?|address(?:es)?|phones?|orders?|details|payment|cards?|passwords?|ids?|balances?|names|contact|data)\b/,
      /\b(?:emails?|address(?:es)?|phone numbers?|orders?|details|payment methods|cards?|passwords?|balances?|contact details|history)\b[^.!?\n]{0,30}\b(?:of|for) (?:all|every|other|another|random|\d+) (?:customers?|users?|accounts?)\b/,
      /\b(?:list|show|export|dump|give|send|query|retrieve)\b[^.!?\n]{0,20}\b(?:all|every) (?:customers?|users?|accounts?|user ids?)\b/,
      /\b(?:customer|user|orders?|users) (?:database|table|db|records)\b/,
      /\b(?:someone else'?s|another (?:customer|user|person)'s|other (?:customers|users)'|(?:is )?not mine|to mine)\b/,
      /\b(?:personal|private) (?:details|information|data)\b[^.!?\n]{0,20}\b(?:on|of|about|from) (?!my\b|me\b|myself\b)/,
      /\b(?:tell|give|show|send|read|what(?:'s| is| are)) (?:me )?(?:her|his|their) (?:phone(?: number)?|email|address|orders?|account|details|card|balance)/,
      /\b(?:with|from|of) the (?:previous|last|other) (?:customer|user|chat)\b/,
      /\b(?:orders?|details|address|email|payment methods?|history|balance) of (?:the )?(?:user|customer|account) [a-z0-9_.@-]+|\baccount of [a-z0-9_.-]+@/,
      /\bmy (?:neighbou?r|friend|ex(?:-?(?:wife|husband))?|boss|coworker|colleague)(?:'?s)? (?:order|account|address|email|details|history|orders)\b|\b(?:it'?s|it is) my (?:friend|neighbou?r|boss)'?s\b/,
      /\b(?:previous|last|other) (?:customer|user|person)\b[^.!?\n]{0,30}\b(?:talked|asked|spoke|conversation|chat|details|placed)\b|\bthe person who (?:placed|ordered)\b/,
      // Other people who bought or live somewhere; never the customer's own "my user id … and ordered".
      /(?<!\bmy )\b(?:customers?|users?|who else)\b[^.!?\n]{0,40}\b(?:bought|ordered|live in|with the last name|in zip)\b/,
      new RegExp(`\\b(?:tell|give|show|list|send|find|look up|retrieve|read|access|pull up|check|what(?:'s| is| are| was)|which)\\b[^.!?\\n]{0,40}\\b${PERSONAL_DATA}\\b[^.!?\\n]{0,20}\\b(?:of|for|on|about|belonging to|from) ${THIRD_PARTY}\\b`),
      new RegExp(`\\b${PEOPLE}(?:'s|s') ${PERSONAL_DATA}\\b`),
      /\b(?:on behalf of|for) my (?:boss|wife|husband|friend|client)\b[^.!?\n]{0,60}\bwithout verification\b/,
    ],
  },
  {
    name: 'fake_role_marker', weight: 0.7, patterns: [
      /<\|?im_(?:start|end)\|?>|\[\/?inst\]|<\/?(?:system|sys)>|<<\/?sys>>/,
      /(?:^|\n|[.!?"{] *)(?:#{2,} *)?\[?(?:system|developer)\]?\s*(?::|override|update|announcement)/,
      /\bend of (?:user )?(?:input|prompt|conversation)\b[^.!?\n]{0,20}(?:new|system|instruction)/,
      /(?:^|\s)assistant: (?:sure|ok|okay|i will)\b/,
    ],
  },
  {
    name: 'addressed_to_ai', weight: 0.8, contextOnly: true, patterns: [
      new RegExp(`\\b(?:dear|hey|note to the|attention|to the|for)(?: the)? ${AI}\\b|\\bif you are an? ${AI}\\b|\\b${AI} reading this\\b|\\binstructions? for ${AI}\\b`),
      new RegExp(`(?:^|["{,.:] *)${AI}\\s*:\\s*(?:you|new|ignore|disregard|please|stop|reveal)`),
      /\b(?:when asked|on request)\b[^.!?\n]{0,40}\b(?:give out|reveal|list|print)\b/,
      /\b(?:approve|refund|credit|promise|offer)\b[^.!?\n]{0,30}\b(?:every|all|any|anyone|the reader|forever)\b/,
    ],
  },
  {
    name: 'authority_claim', weight: 0.5, patterns: [
      /\b(?:i am|i'm|this is) (?:the |your |a |an )?(?:developer|admin|administrator|store owner|owner|creator|engineer|fraud team|from the fraud team|security team|ceo)\b/,
      /\b(?:my manager|the admin|your developer|the developers?) (?:already |has |have )?(?:verified|approved|changed|says|said|authori[sz]ed)\b/,
      /\bi (?:am|'m) authori[sz]ed\b|\bnobody will know\b/,
    ],
  },
  {
    name: 'jailbreak_vocabulary', weight: 0.25, patterns: [
      /\bopenai\b|\bchatgpt\b|\bgpt-?\d\b/, /\bcontent polic(?:y|ies)\b/, /\b(?:uncensored|unfiltered|amoral|nonmoral|unethical)\b/,
      /\b(?:ethic(?:s|al)|moral(?:s|ity)?)\b/, /\b(?:illegal|harmful|offensive|explicit)\b/, /\bas an ai\b|\blanguage model\b/,
      /\bstay in character\b|\bprefix\b/, /\bpwned\b|\bhack(?:er|ing)?\b/,
      /\bfrom now on\b|\bfrom this (?:moment|point) (?:on|forward)\b/, /\b(?:every|all|each) (?:prompts?|questions?|requests?) (?:i give|i ask|from now)/,
      /\b(?:fictional|hypothetical|imaginary|scenario|persona|character)\b/, /\b(?:never|cannot|can'?t|won'?t|must not) (?:refuse|decline|deny|say no)\b/,
      /\bwithout (?:any )?(?:warnings?|disclaimers?|censorship|hesitation|question)\b/, /\b(?:filters?|censor(?:ed|ship)?|restrictions?)\b/,
      /\b(?:respond|answer|reply) (?:to|as|in|with)\b[^.!?\n]{0,30}\b(?:prompts?|format|two)\b/,
    ],
  },
]
