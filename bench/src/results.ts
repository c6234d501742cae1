// The arithmetic of the report: a scenario's rounds added up, CPU time per request, the chain against the
// baselines (in total and round by round) and the targets.
import { percentile } from '../../e2e/src/util'
import type { WrkReport } from './wrk'

/** The chain's targets: at least this share of the plain baseline chain's throughput, p99 below this. */
export const TARGETS = { throughputPercent: 95, p99Ms: 15 } as const

/** One scenario's wrk report for one round, and the CPU ticks its server processes used meanwhile. */
export interface Round extends WrkReport {
  cpuTicks: number
}

export interface Totals {
  /** Requests per second over all rounds. */
  perSecond: number
  /** Requests per second of each round, in round order. */
  perSecondByRound: number[]
  /** The highest p50 and p99 of the rounds. */
  p50Ms: number
  p99Ms: number
  /** Socket errors and error statuses over all rounds. */
  failures: number
  /** CPU time of the scenario's server processes per request served. */
  cpuUsPerRequest: number
}

export function totalsOf(rounds: Round[], clockTicksPerSecond: number): Totals {
  const requests = sum(rounds.map((round) => round.requests))
  const seconds = sum(rounds.map((round) => round.seconds))
  const cpuSeconds = sum(rounds.map((round) => round.cpuTicks)) / clockTicksPerSecond
  return {
    perSecond: ratio(requests, seconds),
    perSecondByRound: rounds.map((round) => ratio(round.requests, round.seconds)),
    p50Ms: Math.max(0, ...rounds.map((round) => round.p50Ms)),
    p99Ms: Math.max(0, ...rounds.map((round) => round.p99Ms)),
    failures: sum(rounds.map((round) => round.socketErrors + round.errorStatuses)),
    cpuUsPerRequest: ratio(cpuSeconds * 1e6, requests),
  }
}

/** `part` as a percentage of `whole`; 0 when there is no whole. */
export const percentOf = (part: number, whole: number) => 100 * ratio(part, whole)

export interface RoundByRound {
  /** The chain's throughput as a percentage of the baseline's in the same round, lowest first. */
  percents: number[]
  /** Their median (the lower middle one for an even count). */
  median: number
}

export function roundByRound(chain: Totals, baseline: Totals): RoundByRound {
  const percents = chain.perSecondByRound
    .map((perSecond, round) => percentOf(perSecond, baseline.perSecondByRound[round] ?? 0))
    .sort((a, b) => a - b)
  return { percents, median: percentile(percents, 50) }
}

export interface Verdict {
  throughputPercent: number
  throughputMet: boolean
  p99Met: boolean
}

/** The chain against its targets: throughput as a share of the plain baseline chain, and p99. */
export function verdict(chain: Totals, baselineChain: Totals): Verdict {
  const throughputPercent = percentOf(chain.perSecond, baselineChain.perSecond)
  return {
    throughputPercent,
    throughputMet: throughputPercent >= TARGETS.throughputPercent,
    p99Met: chain.p99Ms < TARGETS.p99Ms,
  }
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)
const ratio = (numerator: number, denominator: number) => (denominator > 0 ? numerator / denominator : 0)
