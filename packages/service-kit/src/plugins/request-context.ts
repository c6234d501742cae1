import { Elysia } from 'elysia'
import { HttpError } from '../errors'
import type { Logger } from '../logger'
import { MAX_URL_LENGTH, requestTargetLength } from '../message'
import type { Metrics } from '../metrics'

// Identifies, bounds, times and logs every request: one access log line and one metrics sample each.

export const REQUEST_ID_HEADER = 'x-request-id'
// Taken from the caller when it is short and made of safe characters, so it can be logged and forwarded as is.
const VALID_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

export function requestIdFrom(header: string | null): string {
  return header !== null && VALID_REQUEST_ID.test(header) ? header : crypto.randomUUID()
}

/**
 * The ALB's request trace: `Root=1-<8 hex>-<24 hex>`, then the fields the load balancers and X-Ray add
 * (`Self=`, `Parent=`, `Sampled=`, `Lineage=`), separated by `;`. Logged, and passed on by a service that calls
 * another, only when it is made of these safe characters and at most 256 long; otherwise dropped, never
 * echoed: a caller can send anything in this header.
 */
export const TRACE_ID_HEADER = 'x-amzn-trace-id'
const VALID_TRACE_ID = /^[A-Za-z0-9=;:._|-]{1,256}$/

export function traceIdFrom(header: string | null): string | undefined {
  return header !== null && VALID_TRACE_ID.test(header) ? header : undefined
}

// Load balancer health checks are frequent and say nothing about users: logged at debug, not counted.
const QUIET_ROUTES = new Set(['/health'])

export interface RequestContextOptions {
  logger: Logger
  metrics?: Metrics
}

export const requestContext = ({ logger, metrics }: RequestContextOptions) =>
  new Elysia({ name: 'request-context' })
    .decorate('requestId', '')
    .decorate('traceId', undefined as string | undefined)
    .decorate('startedAt', 0)
    .onRequest((ctx) => {
      ctx.startedAt = performance.now()
      ctx.requestId = requestIdFrom(ctx.request.headers.get(REQUEST_ID_HEADER))
      ctx.traceId = traceIdFrom(ctx.request.headers.get(TRACE_ID_HEADER))
      ctx.set.headers[REQUEST_ID_HEADER] = ctx.requestId
      // No browser may guess another type than the one declared (the JSON answers, Swagger UI's files).
      ctx.set.headers['x-content-type-options'] = 'nosniff'
      if (requestTargetLength(ctx.request.url) > MAX_URL_LENGTH) {
        throw new HttpError(414, 'uri_too_long', `The request target is longer than ${MAX_URL_LENGTH} bytes`)
      }
    })
    // Logged and counted as the response is mapped, which Elysia does on the success and the error path alike.
    // (onAfterResponse would do it later, but at the cost of a deferred async callback per request.)
    .mapResponse({ as: 'global' }, (ctx) => {
      const durationMs = Math.round((performance.now() - ctx.startedAt) * 100) / 100
      const status = responseStatus(ctx.set.status, ctx.responseValue)
      const route: string | undefined = 'route' in ctx ? ctx.route : undefined
      const quiet = route !== undefined && QUIET_ROUTES.has(route)
      if (!quiet) metrics?.recordRequest(status, durationMs)
      const level = quiet ? 'debug' : 'info'
      if (logger.enabled(level)) {
        logger[level]('request', {
          method: ctx.request.method,
          route: route ?? null,
          status,
          durationMs,
          requestId: ctx.requestId,
          // Left out of the line when the request had none (JSON.stringify drops undefined).
          traceId: ctx.traceId,
        })
      }
      // Handed back for Elysia to map as usual. Its types ask for a Response or nothing, but on its error
      // path Elysia 1.4 answers with an empty body when a mapResponse hook returns nothing.
      return ctx.responseValue as Response
    })

function responseStatus(setStatus: unknown, response: unknown): number {
  if (response instanceof Response) return response.status
  return typeof setStatus === 'number' ? setStatus : 200
}
