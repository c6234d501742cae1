import {
  createService,
  ErrorBody,
  jsonResponses,
  messageErrors,
  messageParam,
  Reversal,
  type Telemetry,
} from '@relay/service-kit'
import { createReverserClient, type Fetch } from './reverser-client'

export interface AppDeps extends Telemetry {
  app2Url: string
  app2TimeoutMs: number
  /** How app2 is called; tests swap it to count attempts. */
  fetch?: Fetch
}

const SEND_PREFIX = '/get/send/'

export function createApp({ logger, metrics, app2Url, app2TimeoutMs, fetch }: AppDeps) {
  const reverse = createReverserClient({ baseUrl: app2Url, timeoutMs: app2TimeoutMs, metrics, fetch })
  return createService({
    logger,
    metrics,
    info: {
      title: 'relay API (app1)',
      version: '1.0.0',
      description:
        'Public API: sends a message to the reverser (app2) and returns the original and the reversal. ' +
        'Every error is a JSON { error, message }; another method than GET or HEAD on a known path is a 405 ' +
        'with an Allow header. Each response carries x-request-id (taken from the request when valid), which ' +
        "is also passed on to app2, as is the load balancer's X-Amzn-Trace-Id.",
    },
    healthDescription: 'Answers 200 while the process serves requests; never calls app2.',
  }).get(
    `${SEND_PREFIX}:message`,
    ({ params: { message }, requestId, traceId }) => reverse(message, requestId, traceId),
    {
      ...messageParam(SEND_PREFIX),
      detail: {
        summary: 'Reverse a message through app2',
        description:
          'Forwards the message to app2 and returns its answer. Any other 4xx from app2 is passed on as is, ' +
          "with app2's error body.",
        responses: jsonResponses({
          200: [Reversal, 'The message and its reversal, as computed by app2'],
          ...messageErrors,
          502: [ErrorBody, 'upstream_unreachable, upstream_error (app2 5xx) or upstream_bad_response'],
          504: [ErrorBody, 'upstream_timeout: app2 did not answer within APP2_TIMEOUT_MS'],
        }),
      },
    },
  )
}
