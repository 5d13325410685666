// Whether a customer's message says their problem is solved. Deliberately narrow: a missed confirmation only
// defers the verdict to the no-return window, while a false one would count a resolution that never happened.

const SOLVED = [
  /\b(that|this|it)('s| is| has)? (worked|works|helped|did it|did the trick|fixed it|solved it|sorted it)\b/,
  /\b(problem|issue|question)('s| is| has been| was)? (solved|resolved|fixed|sorted|answered)\b/,
  /\b(all|i'?m|we'?re) (sorted|set|good now)\b/,
  /\b(perfect|great|awesome),? thanks?\b/,
  /\bthat'?s all i needed\b/,
]
/** A negation or a "but" turns any of the above into a complaint ("it still has not worked"). */
const DOUBT = /\b(not|n't|never|still|but|didn'?t|doesn'?t)\b/

export function saysResolved(text: string): boolean {
  const t = text.toLowerCase().replaceAll('’', "'")
  return !DOUBT.test(t) && SOLVED.some((re) => re.test(t))
}
