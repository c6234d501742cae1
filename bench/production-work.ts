// The per-request work the real apps do besides their job, for the "baseline+work" references of
// `make bench`: take the caller's x-request-id when it is valid or make one, and write one JSON access-log
// line per request with the real apps' own logger (so the lines and how they are written are the same).
// Metrics aggregation is left out. LOG_LEVEL above info (as BENCH_LOG_LEVEL=warn sets it) leaves request ids only.
import { createLogger, LOG_LEVELS } from '../packages/service-kit/src/logger'

const validRequestId = /^[A-Za-z0-9._:-]{1,128}$/

export function requestIdOf(request: Request): string {
  const header = request.headers.get('x-request-id')
  return header !== null && validRequestId.test(header) ? header : crypto.randomUUID()
}

type AccessLog = (request: Request, route: string, status: number, startedAt: number, requestId: string) => void

export function accessLog(service: string): AccessLog {
  const level = LOG_LEVELS.find((known) => known === process.env.LOG_LEVEL) ?? 'info'
  const logger = createLogger({ service, level })
  if (!logger.enabled('info')) return () => {}
  return (request, route, status, startedAt, requestId) =>
    logger.info('request', {
      method: request.method,
      route,
      status,
      durationMs: Math.round((performance.now() - startedAt) * 100) / 100,
      requestId,
    })
}
