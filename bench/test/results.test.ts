import { describe, expect, test } from 'bun:test'
import { percentOf, type Round, roundByRound, type Totals, totalsOf, verdict } from '../src/results'

const round = (fields: Partial<Round>): Round => ({
  requests: 0,
  seconds: 0,
  p50Ms: 0,
  p99Ms: 0,
  socketErrors: 0,
  errorStatuses: 0,
  cpuTicks: 0,
  ...fields,
})

const totals = (fields: Partial<Totals>): Totals => ({
  perSecond: 0,
  perSecondByRound: [],
  p50Ms: 0,
  p99Ms: 0,
  failures: 0,
  cpuUsPerRequest: 0,
  ...fields,
})

describe('totalsOf', () => {
  const rounds = [
    round({ requests: 10_000, seconds: 5, p50Ms: 2, p99Ms: 9, socketErrors: 1, cpuTicks: 40 }),
    round({ requests: 20_000, seconds: 5, p50Ms: 3, p99Ms: 7, errorStatuses: 2, cpuTicks: 80 }),
  ]

  test('throughput over all rounds, and of each round in order', () => {
    expect(totalsOf(rounds, 100)).toMatchObject({ perSecond: 3000, perSecondByRound: [2000, 4000] })
  })

  test('the highest p50 and p99 of the rounds, not an average', () => {
    expect(totalsOf(rounds, 100)).toMatchObject({ p50Ms: 3, p99Ms: 9 })
  })

  test('failures: socket errors and error statuses of every round', () => {
    expect(totalsOf(rounds, 100).failures).toBe(3)
  })

  test('CPU per request: the ticks in seconds, in microseconds per request', () => {
    // 120 ticks at 100 per second = 1.2 s of CPU for 30,000 requests.
    expect(totalsOf(rounds, 100).cpuUsPerRequest).toBeCloseTo(40, 9)
  })

  test('no rounds or no requests give zeros, not NaN', () => {
    expect(totalsOf([], 100)).toEqual(totals({}))
    expect(totalsOf([round({ cpuTicks: 5 })], 100)).toEqual(totals({ perSecondByRound: [0] }))
  })
})

describe('percentOf', () => {
  test('a share in percent; 0 of nothing', () => {
    expect(percentOf(23_080, 30_769)).toBeCloseTo(75.01, 2)
    expect(percentOf(5, 0)).toBe(0)
  })
})

describe('roundByRound', () => {
  test('each round against the same round of the baseline, lowest first, with the median', () => {
    const chain = totals({ perSecondByRound: [800, 900, 700] })
    const baseline = totals({ perSecondByRound: [1000, 1000, 1000] })
    expect(roundByRound(chain, baseline)).toEqual({ percents: [70, 80, 90], median: 80 })
  })

  test('the lower middle one is the median of an even count', () => {
    const chain = totals({ perSecondByRound: [90, 80, 70, 60] })
    const baseline = totals({ perSecondByRound: [100, 100, 100, 100] })
    expect(roundByRound(chain, baseline).median).toBe(70)
  })
})

describe('verdict', () => {
  const baseline = totals({ perSecond: 1000 })

  test('95 % of the baseline chain meets the throughput target, less misses it', () => {
    expect(verdict(totals({ perSecond: 950 }), baseline)).toMatchObject({ throughputPercent: 95, throughputMet: true })
    expect(verdict(totals({ perSecond: 949 }), baseline).throughputMet).toBe(false)
  })

  test('p99 must stay below 15 ms', () => {
    expect(verdict(totals({ p99Ms: 14.99 }), baseline).p99Met).toBe(true)
    expect(verdict(totals({ p99Ms: 15 }), baseline).p99Met).toBe(false)
  })
})
