import { openapi } from '@elysiajs/openapi'
import { Elysia, t } from 'elysia'
import { ErrorBody } from './errors'
import type { Logger } from './logger'
import { decodeMessage, MAX_MESSAGE_CHARS } from './message'
import type { Metrics } from './metrics'
import { errorHandler } from './plugins/error-handler'
import { requestContext } from './plugins/request-context'
import { createReverserClient, type Fetch } from './reverser-client'

export interface AppDeps {
  logger: Logger
  metrics?: Metrics
  app2Url: string
  app2TimeoutMs: number
  /** How app2 is called; tests swap it to count attempts. */
  fetch?: Fetch
}

const SEND_PREFIX = '/get/send/'

export const Reversal = t.Object(
  {
    original: t.String({ description: 'The message, exactly as received (percent-decoded)' }),
    processed: t.String({ description: 'The message with its user-perceived characters in reverse order' }),
  },
  { title: 'Reversal' },
)

export const Health = t.Object({ status: t.Literal('ok') }, { title: 'Health' })

export function createApp({ logger, metrics, app2Url, app2TimeoutMs, fetch }: AppDeps) {
  const reverse = createReverserClient({ baseUrl: app2Url, timeoutMs: app2TimeoutMs, metrics, fetch })
  return new Elysia()
    .use(errorHandler(logger))
    .use(requestContext({ logger, metrics }))
    .use(
      openapi({
        path: '/swagger',
        specPath: '/swagger/json',
        provider: 'swagger-ui',
        documentation: {
          info: {
            title: 'relay API (app1)',
            version: '1.0.0',
            description:
              'Public API: sends a message to the reverser (app2) and returns the original and the reversal. ' +
              'Every error is a JSON { error, message }. Each response carries x-request-id (taken from the ' +
              'request when valid), which is also passed on to app2.',
          },
        },
      }),
    )
    .get('/health', () => ({ status: 'ok' as const }), {
      response: { 200: Health },
      detail: { summary: 'Liveness', description: 'Answers 200 while the process serves; never calls app2.' },
    })
    .get('/get/send/:message', ({ params: { message }, requestId }) => reverse(message, requestId), {
      params: t.Object({
        message: t.String({ description: `Percent-encoded UTF-8, 1 to ${MAX_MESSAGE_CHARS} characters` }),
      }),
      // Replace Elysia's lenient decoding with a strict one of the raw path, before validation.
      transform({ params, path }) {
        params.message = decodeMessage(path.startsWith(SEND_PREFIX) ? path.slice(SEND_PREFIX.length) : '')
      },
      response: {
        200: Reversal,
        400: ErrorBody,
        404: ErrorBody,
        414: ErrorBody,
        502: ErrorBody,
        504: ErrorBody,
      },
      detail: {
        summary: 'Reverse a message through app2',
        description:
          'Forwards the message to app2 and returns its answer. 400: invalid percent-encoding or UTF-8. ' +
          '404: empty message. 414: message or URL too long. A 4xx from app2 is passed on as is. ' +
          '502: app2 unreachable, failing (5xx) or answering nonsense. 504: app2 did not answer in time.',
      },
    })
}

export type App = ReturnType<typeof createApp>
