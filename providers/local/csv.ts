// RFC 4180 CSV parsing for the shipped training data: quoted fields may hold commas, doubled quotes
// and newlines. Owns no file I/O; callers pass the text.

// A quoted field (doubled quotes inside, unrolled so long fields do not backtrack) or a bare one.
const fieldPattern = /"([^"]*(?:""[^"]*)*)"|[^,\r\n]*/y

/** Parses CSV text into rows of fields. A trailing newline does not produce an empty row. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let at = 0
  while (at < text.length) {
    fieldPattern.lastIndex = at
    const m = fieldPattern.exec(text)
    row.push(m?.[1] !== undefined ? m[1].replace(/""/g, '"') : (m?.[0] ?? ''))
    at = fieldPattern.lastIndex
    if (text[at] === ',') {
      at++
      if (at === text.length) row.push('')
      continue
    }
    rows.push(row)
    row = []
    at += text[at] === '\r' && text[at + 1] === '\n' ? 2 : 1
  }
  if (row.length > 0) rows.push(row)
  return rows
}

/** Parses CSV with a header row into records keyed by column name. */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text)
  if (!header) return []
  return rows.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])))
}
