// The autonomy bars: each level needs its own bars and those below it, and the advice names what is missing.
import { describe, expect, test } from 'bun:test'
import { adviseAutonomy, type AutonomyKpis } from '../../lib/autonomy.ts'

const kpis = (over: Partial<AutonomyKpis> = {}): AutonomyKpis => ({
  conversations: 500, resolutionRate: 0.9, escalationRate: 0.1, csat: { average: 4.6, ratings: 120 }, ...over,
})

describe('autonomy advice', () => {
  test('an agent meeting every bar may operate, with nothing above', () => {
    expect(adviseAutonomy(kpis())).toEqual({ level: 'operate' })
  })

  test('execute when only the operate bars are missed, naming each shortfall', () => {
    expect(adviseAutonomy(kpis({ resolutionRate: 0.7, csat: { average: 4.1, ratings: 120 } }))).toEqual({
      level: 'execute',
      next: { level: 'operate', missing: ['resolution rate 70%, needs 80%', 'CSAT 4.10, needs 4.3'] },
    })
  })

  test('a good week of few conversations stays in assist', () => {
    expect(adviseAutonomy(kpis({ conversations: 12, csat: { average: 5, ratings: 3 } }))).toEqual({
      level: 'assist',
      next: { level: 'execute', missing: ['12 conversations, needs 50', '3 CSAT ratings, needs 20'] },
    })
  })

  test('unknown rates (nothing closed yet) never pass a bar', () => {
    const advice = adviseAutonomy(kpis({ resolutionRate: null, escalationRate: null }))
    expect(advice.level).toBe('assist')
    expect(advice.next?.missing).toEqual(['resolution rate unknown, needs 60%', 'escalation rate unknown, at most 35%'])
  })
})
