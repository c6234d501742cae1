import { openapi } from '@elysiajs/openapi'
import { Elysia, t } from 'elysia'
import { jsonResponses } from './docs'
import { ErrorBody } from './errors'
import type { Logger } from './logger'
import { decodeMessage, MAX_MESSAGE_CHARS } from './message'
import type { Metrics } from './metrics'
import { errorHandler } from './plugins/error-handler'
import { requestContext } from './plugins/request-context'
import { reverseGraphemes } from './reverse'

export interface AppDeps {
  logger: Logger
  metrics?: Metrics
}

const SEND_PREFIX = '/api2/send/'

export const Reversal = t.Object(
  {
    original: t.String({ description: 'The message, exactly as received (percent-decoded)' }),
    processed: t.String({ description: 'The message with its user-perceived characters in reverse order' }),
  },
  { title: 'Reversal' },
)

export const Health = t.Object({ status: t.Literal('ok') }, { title: 'Health' })

export function createApp({ logger, metrics }: AppDeps) {
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
            title: 'relay reverser (app2)',
            version: '1.0.0',
            description:
              'Internal service: reverses a message by user-perceived characters. Every error is a JSON ' +
              '{ error, message }. Each response carries x-request-id (taken from the request when valid).',
          },
        },
      }),
    )
    .get('/health', () => ({ status: 'ok' as const }), {
      detail: {
        summary: 'Liveness',
        description: 'Answers 200 while the process serves requests.',
        responses: jsonResponses({ 200: [Health, 'The process is up'] }),
      },
    })
    .get(
      `${SEND_PREFIX}:message`,
      ({ params: { message } }) => ({ original: message, processed: reverseGraphemes(message) }),
      {
        params: t.Object({
          message: t.String({
            description: `Percent-encoded UTF-8, 1 to ${MAX_MESSAGE_CHARS} characters`,
          }),
        }),
        // Replace Elysia's lenient decoding with a strict one of the raw path, before validation.
        transform({ params, path }) {
          params.message = decodeMessage(path.startsWith(SEND_PREFIX) ? path.slice(SEND_PREFIX.length) : '')
        },
        detail: {
          summary: 'Reverse a message',
          description:
            'Returns the message and its reversal by grapheme cluster: accents stay on their letter; flags, ' +
            'skin tones and emoji families stay whole.',
          responses: jsonResponses({
            200: [Reversal, 'The message and its reversal'],
            400: [ErrorBody, 'invalid_encoding: not valid percent-encoded UTF-8'],
            404: [ErrorBody, 'not_found: empty message'],
            414: [ErrorBody, 'message_too_long or uri_too_long'],
          }),
        },
      },
    )
}
