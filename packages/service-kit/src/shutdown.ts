import { errorFields, type Logger } from './logger'
import type { Metrics } from './metrics'

// On SIGTERM or SIGINT: stop accepting connections, let requests in flight finish, send the last metrics,
// exit 0. Bounded: after DRAIN_TIMEOUT_MS the remaining connections are closed, and whatever happens the
// process is gone after HARD_EXIT_MS (below Docker's 30 s stop timeout).

const DRAIN_TIMEOUT_MS = 10_000
const METRICS_FLUSH_TIMEOUT_MS = 3_000
const HARD_EXIT_MS = 20_000

export interface Stoppable {
  stop(closeActiveConnections?: boolean): Promise<unknown>
}

export function handleShutdownSignals(server: Stoppable, logger: Logger, metrics?: Metrics): void {
  let stopping = false
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return
    stopping = true
    logger.info('shutting down', { signal })
    setTimeout(() => {
      logger.error('shutdown took too long, exiting')
      process.exit(1)
    }, HARD_EXIT_MS).unref()

    let exitCode = 0
    const drained = await within(server.stop(false), DRAIN_TIMEOUT_MS)
    if (!drained) {
      logger.warn('requests still in flight after the drain timeout, closing them', { timeoutMs: DRAIN_TIMEOUT_MS })
      await server.stop(true)
      exitCode = 1
    }
    if (metrics && !(await within(metrics.stop(), METRICS_FLUSH_TIMEOUT_MS))) {
      logger.warn('last metrics flush timed out')
    }
    logger.info('stopped', { exitCode })
    process.exit(exitCode)
  }
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, (received) => {
      shutdown(received).catch((error) => {
        logger.error('shutdown failed', errorFields(error))
        process.exit(1)
      })
    })
  }
}

/** true when the promise settles within ms. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([promise.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}
