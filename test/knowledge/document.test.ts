// Articles into passages: Markdown and HTML read into headings and text (page furniture and scripts left out),
// passages that keep their heading path and stay under the size cap, ids that survive re-chunking unchanged
// text and change with it, and the addresses a page fetch may reach.
import { describe, expect, test } from 'bun:test'
import { chunkBlocks, isPublicAddress, parseHtml, parseMarkdown, prepareArticle } from '../../knowledge/index.ts'

const MARKDOWN = `# Returns

Intro *text* with a [link](https://example.com) &amp; an entity.

## Which orders

- delivered orders
- nothing else
  - not even this

| status | returnable |
|---|---|
| delivered | yes |

### Details

Some details.

## Refunds

Refunds go to the original payment method.
`

describe('reading documents', () => {
  test('Markdown becomes headings and text blocks; lists, tables and inline markup become plain text', () => {
    const doc = parseMarkdown(MARKDOWN)
    expect(doc.title).toBe('Returns')
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Returns' },
      { kind: 'text', text: 'Intro text with a link & an entity.' },
      { kind: 'heading', level: 2, text: 'Which orders' },
      { kind: 'text', text: 'delivered orders' },
      { kind: 'text', text: 'nothing else' },
      { kind: 'text', text: 'not even this' },
      { kind: 'text', text: 'status | returnable' },
      { kind: 'text', text: 'delivered | yes' },
      { kind: 'heading', level: 3, text: 'Details' },
      { kind: 'text', text: 'Some details.' },
      { kind: 'heading', level: 2, text: 'Refunds' },
      { kind: 'text', text: 'Refunds go to the original payment method.' },
    ])
  })

  test('an HTML page is read from <main> when it has one, without scripts, styles or navigation', () => {
    const doc = parseHtml(`<html><head><title>Help &ndash; Returns</title><style>p{}</style></head><body>
      <nav><a href="/">Home</a></nav><header><p>Site banner</p></header>
      <main><h1>Returns</h1><p>Return within <b>30</b>&nbsp;days.</p><script>alert("x")</script><h2>How</h2><p>Ask us.</p></main>
      <footer>© shop</footer></body></html>`)
    expect(doc.title).toBe('Help – Returns')
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Returns' },
      { kind: 'text', text: 'Return within 30 days.' },
      { kind: 'heading', level: 2, text: 'How' },
      { kind: 'text', text: 'Ask us.' },
    ])
  })

  test('an HTML fragment without <main> is read whole, its first h1 as the title', () => {
    const doc = parseHtml('<h1>Exchanges</h1><div>Same product, <i>other</i> options.<br>No new order.</div>')
    expect(doc).toEqual({ title: 'Exchanges', blocks: [
      { kind: 'heading', level: 1, text: 'Exchanges' }, { kind: 'text', text: 'Same product, other options.' }, { kind: 'text', text: 'No new order.' },
    ] })
  })
})

describe('chunking', () => {
  test('each passage carries the headings above it, and never spans two sections', () => {
    const passages = chunkBlocks('art_1', parseMarkdown(MARKDOWN).blocks)
    expect(passages.map((p) => [p.headingPath, p.text])).toEqual([
      [['Returns'], 'Intro text with a link & an entity.'],
      [['Returns', 'Which orders'], 'delivered orders\nnothing else\nnot even this\nstatus | returnable\ndelivered | yes'],
      [['Returns', 'Which orders', 'Details'], 'Some details.'],
      [['Returns', 'Refunds'], 'Refunds go to the original payment method.'],
    ])
    expect(passages.map((p) => p.ordinal)).toEqual([0, 1, 2, 3])
  })

  test('a long section is cut at sentence ends, and a long sentence at spaces, within the cap', () => {
    const sentence = (i: number) => `Sentence number ${i} says something about refunds and returns.`
    const long = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ')
    const unbroken = 'word '.repeat(300)
    const passages = chunkBlocks('art_1', parseMarkdown(`## Policy\n\n${long}\n\n${unbroken}`).blocks, { maxChars: 300 })
    expect(passages.length).toBeGreaterThan(5)
    for (const p of passages) expect(p.text.length).toBeLessThanOrEqual(300)
    expect(passages.map((p) => p.text).join(' ').replace(/\s+/g, ' ')).toBe(`${long} ${unbroken.trim()}`)
    expect(passages[0]!.text.endsWith('returns.')).toBe(true)
  })

  test('ids are stable for unchanged text and change with the text, the headings or the article', () => {
    const before = chunkBlocks('art_1', parseMarkdown(MARKDOWN).blocks)
    const edited = chunkBlocks('art_1', parseMarkdown(MARKDOWN.replace('Some details.', 'Other details.')).blocks)
    expect(edited.map((p) => p.id === before[p.ordinal]!.id)).toEqual([true, true, false, true])
    const renamed = chunkBlocks('art_1', parseMarkdown(MARKDOWN.replace('## Refunds', '## Money back')).blocks)
    expect(renamed[3]!.id).not.toBe(before[3]!.id)
    expect(chunkBlocks('art_2', parseMarkdown(MARKDOWN).blocks)[0]!.id).not.toBe(before[0]!.id)
    expect(before.every((p) => /^psg_[0-9a-f]{24}$/.test(p.id))).toBe(true)
  })

  test('the same text twice under the same headings gets two ids', () => {
    const passages = chunkBlocks('art_1', parseMarkdown('## A\n\nSame.\n\n## B\n\nX\n\n## A\n\nSame.').blocks)
    expect(passages[0]!.text).toBe(passages[2]!.text)
    expect(new Set(passages.map((p) => p.id)).size).toBe(3)
  })
})

describe('preparing an article', () => {
  test('title from the document, else from the key; NUL bytes dropped; hash over format, title and content', () => {
    const a = prepareArticle('art_1', { format: 'markdown', content: '# Refunds\n\nFive to\u0000 seven days.' })
    expect(a.title).toBe('Refunds')
    expect(a.passages[0]!.text).toBe('Five to seven days.')
    expect(prepareArticle('art_1', { format: 'markdown', content: 'Text only.', key: 'help/order-status.md' }).title).toBe('Order status')
    const b = prepareArticle('art_1', { format: 'markdown', content: '# Refunds\n\nFive to\u0000 seven days.', title: 'Money back' })
    expect(b.contentHash).not.toBe(a.contentHash)
  })

  test('an article with no text, or over the byte cap, is refused before anything is stored', () => {
    expect(() => prepareArticle('art_1', { format: 'html', content: '<h1>Only a title</h1><script>x()</script>' })).toThrow(
      expect.objectContaining({ code: 'knowledge.no_text' }))
    expect(() => prepareArticle('art_1', { format: 'markdown', content: 'x'.repeat(2000) }, { maxBytes: 1024 })).toThrow(
      expect.objectContaining({ code: 'knowledge.too_large' }))
  })
})

test('only public unicast addresses may be fetched', () => {
  for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:93.184.216.34']) expect([a, isPublicAddress(a)]).toEqual([a, true])
  for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1',
    '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', 'fc00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', 'not-an-ip']) {
    expect([a, isPublicAddress(a)]).toEqual([a, false])
  }
})
