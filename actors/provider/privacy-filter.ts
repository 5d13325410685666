// The privacy filter of one model call: personal data becomes stable placeholders (`[email_1]`) on the way to a
// vendor, and the placeholders it answers with become the real values again.
import { redactWithMapping, restorePii, type PiiMapping } from '../../policy/index.ts'
import type { PrivacyFilter } from '../../providers/index.ts'

export function createPrivacyFilter(): PrivacyFilter {
  let mapping: PiiMapping = {}
  return {
    seal(text) {
      const redacted = redactWithMapping(text, mapping)
      mapping = redacted.mapping
      return redacted.text
    },
    open: (text) => restorePii(text, mapping),
  }
}
