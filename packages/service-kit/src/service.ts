import { openapi } from '@elysiajs/openapi'
import { Elysia, t } from 'elysia'
import { jsonResponses } from './docs'
import type { Logger } from './logger'
import type { Metrics } from './metrics'
import { errorHandler } from './plugins/error-handler'
import { requestContext } from './plugins/request-context'

export const Health = t.Object({ status: t.Literal('ok') }, { title: 'Health' })

/** What a service logs and counts with: given to its app by runService, and on to createService. */
export interface Telemetry {
  logger: Logger
  metrics?: Metrics
}

export interface ServiceOptions extends Telemetry {
  /** The `info` of the service's OpenAPI document: its own title, version and description. */
  info: { title: string; version: string; description: string }
  /** What GET /health promises, in the OpenAPI document. */
  healthDescription?: string
}

/**
 * What every service is before its own routes: each error as a JSON ErrorBody (error-handler), a request id,
 * the URL length cap, the access log and a metrics sample for each request (request-context), Swagger UI at
 * /swagger with the OpenAPI document at /swagger/json, and GET /health.
 */
export function createService({
  logger,
  metrics,
  info,
  healthDescription = 'Answers 200 while the process serves requests.',
}: ServiceOptions) {
  return new Elysia()
    .use(errorHandler(logger))
    .use(requestContext({ logger, metrics }))
    .use(openapi({ path: '/swagger', specPath: '/swagger/json', provider: 'swagger-ui', documentation: { info } }))
    .get('/health', () => ({ status: 'ok' as const }), {
      detail: {
        summary: 'Liveness',
        description: healthDescription,
        responses: jsonResponses({ 200: [Health, 'The process is up'] }),
      },
    })
}
