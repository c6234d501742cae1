import { openapi } from '@elysiajs/openapi'
import { Elysia, t } from 'elysia'
import { jsonResponses } from './docs'
import type { Logger } from './logger'
import type { Metrics } from './metrics'
import { errorHandler } from './plugins/error-handler'
import { requestContext } from './plugins/request-context'
import { SWAGGER_UI_PATH, swaggerUi } from './plugins/swagger-ui'
import { allowedMethodsOf } from './routes'

const OPENAPI_PATH = `${SWAGGER_UI_PATH}/json`

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
 * What every service is before its own routes: each error as a JSON ErrorBody, a 405 with an Allow header for a
 * known path asked with another method (error-handler), a request id and trace id, the URL length cap, the access
 * log and a metrics sample for each request (request-context), Swagger UI at /swagger served from the service
 * itself (swagger-ui) with the OpenAPI document at /swagger/json, and GET /health. The service adds its routes to
 * the app this returns (the 405 looks up that app's routes).
 */
export function createService({
  logger,
  metrics,
  info,
  healthDescription = 'Answers 200 while the process serves requests.',
}: ServiceOptions) {
  const app = new Elysia()
  return (
    app
      .use(errorHandler(logger, { allowedMethods: allowedMethodsOf(app) }))
      .use(requestContext({ logger, metrics }))
      // The plugin makes the document; its own Swagger UI page would load Swagger UI from a CDN (provider: null).
      .use(openapi({ path: SWAGGER_UI_PATH, specPath: OPENAPI_PATH, provider: null, documentation: { info } }))
      .use(swaggerUi({ title: info.title, specPath: OPENAPI_PATH }))
      .get('/health', () => ({ status: 'ok' as const }), {
        detail: {
          summary: 'Liveness',
          description: healthDescription,
          responses: jsonResponses({ 200: [Health, 'The process is up'] }),
        },
      })
  )
}
