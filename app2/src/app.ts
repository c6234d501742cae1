import { createService, jsonResponses, messageErrors, messageParam, Reversal, type Telemetry } from '@relay/service-kit'
import { reverseGraphemes } from './reverse'

const SEND_PREFIX = '/api2/send/'

export function createApp({ logger, metrics }: Telemetry) {
  return createService({
    logger,
    metrics,
    info: {
      title: 'relay reverser (app2)',
      version: '1.0.0',
      description:
        'Internal service: reverses a message by user-perceived characters. Every error is a JSON ' +
        '{ error, message }; another method than GET or HEAD on a known path is a 405 with an Allow header. ' +
        'Each response carries x-request-id (taken from the request when valid).',
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
          ...messageErrors,
        }),
      },
    },
  )
}
