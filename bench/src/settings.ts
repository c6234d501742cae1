// The benchmark's settings, from the BENCH_* environment variables (bench/README.md describes them).

export interface Settings {
  /** Measured seconds per scenario, split over the rounds. */
  durationS: number
  rounds: number
  /** Seconds of one scenario in one round: durationS / rounds, at least 1. */
  roundS: number
  warmupS: number
  connections: number
  /** wrk threads. */
  threads: number
  /** LOG_LEVEL of the real apps and the baseline+work ones. */
  logLevel: string
  /** METRICS_NAMESPACE of the real apps; empty turns their metrics off. */
  metricsNamespace: string
}

/** Reads the settings; throws a one-line error naming the variable when one is not a positive whole number. */
export function readSettings(env: Record<string, string | undefined>): Settings {
  const durationS = positiveInteger(env, 'BENCH_DURATION', 15)
  const rounds = positiveInteger(env, 'BENCH_ROUNDS', 3)
  const threads = positiveInteger(env, 'BENCH_THREADS', 1)
  const connections = positiveInteger(env, 'BENCH_CONNECTIONS', 64)
  if (connections < threads) {
    throw new Error(
      `BENCH_CONNECTIONS (${connections}) must be at least BENCH_THREADS (${threads}): wrk needs one per thread`,
    )
  }
  return {
    durationS,
    rounds,
    roundS: Math.max(1, Math.floor(durationS / rounds)),
    warmupS: positiveInteger(env, 'BENCH_WARMUP', 5),
    connections,
    threads,
    logLevel: env.BENCH_LOG_LEVEL || 'info',
    // Set but empty is a choice (metrics off); only unset means the default.
    metricsNamespace: env.BENCH_METRICS_NAMESPACE ?? 'Relay',
  }
}

function positiveInteger(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const text = env[name]
  if (text === undefined || text === '') return fallback
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new Error(`${name} must be a whole number above 0, not "${text}"`)
  return Number(text)
}
