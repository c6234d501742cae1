import {
  createService,
  ErrorBody,
  jsonResponses,
  type Logger,
  type Metrics,
  messageParam,
  Reversal,
} from '@relay/service-kit'
import { reverseGraphemes } from './reverse'

export interface AppDeps {
  logger: Logger
  metrics?: Metrics
}

const SEND_PREFIX = '/api2/send/'

export function createApp({ logger, metrics }: AppDeps) {
  return createService({
    logger,
    metrics,
    info: {
      title: 'relay reverser (app2)',
      version: '1.0.0',
      description:
        'Internal service: reverses a message by user-perceived characters. Every error is a JSON ' +
        '{ error, message }. Each response carries x-request-id (taken from the request when valid).',
    },
  }).get(
    `${SEND_PREFIX}:message`,
    ({ params: { message } }) => ({ original: message, processed: reverseGraphemes(message) }),
    {
      ...messageParam(SEND_PREFIX),
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
