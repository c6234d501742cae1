import { type TSchema, t } from 'elysia'
import { ErrorBody, HttpError } from './errors'

// The message of the relay API, the same for app1 and app2: its limits, its decoding and the answer's shape.
//
// A message is at most MAX_MESSAGE_CHARS Unicode code points. The raw request target is capped at
// MAX_URL_LENGTH bytes before anything is decoded, which keeps it below the 16 KiB request line that both the
// AWS ALB and Bun accept: a message of up to 1,000 characters always fits, even if every character needs
// 4 UTF-8 bytes (12 characters once percent-encoded).
export const MAX_MESSAGE_CHARS = 2000
export const MAX_URL_LENGTH = 15_000

/**
 * The message in a raw (still percent-encoded) path segment. Elysia would hand over invalid escapes and
 * invalid UTF-8 as U+FFFD, so the raw path is decoded here, strictly.
 */
export function decodeMessage(rawSegment: string): string {
  // Bun resolves "." and ".." segments like any URL parser (/send/.. is /), so they arrive here as ''.
  if (rawSegment === '') throw new HttpError(404, 'not_found', 'The message is empty')
  let message: string
  try {
    message = decodeURIComponent(rawSegment)
  } catch {
    throw new HttpError(400, 'invalid_encoding', 'The message is not valid percent-encoded UTF-8')
  }
  // .length counts UTF-16 code units, never fewer than code points: count only when it could matter.
  if (message.length > MAX_MESSAGE_CHARS && codePointCount(message) > MAX_MESSAGE_CHARS) {
    throw new HttpError(414, 'message_too_long', `The message is longer than ${MAX_MESSAGE_CHARS} characters`)
  }
  return message
}

/**
 * The `:message` parameter of a route under `prefix` (such as '/api2/send/'), to spread into the route's options:
 * its schema, for validation and the OpenAPI document, and a transform that replaces Elysia's lenient decoding
 * with decodeMessage of the raw path, before validation.
 */
export function messageParam(prefix: string) {
  return {
    params: t.Object({
      message: t.String({ description: `Percent-encoded UTF-8, 1 to ${MAX_MESSAGE_CHARS} characters` }),
    }),
    transform({ params, path }: { params: { message: string }; path: string }) {
      params.message = decodeMessage(path.startsWith(prefix) ? path.slice(prefix.length) : '')
    },
  }
}

/** The errors a route with messageParam answers, for its OpenAPI document: spread into jsonResponses. */
export const messageErrors: Record<400 | 404 | 414, [schema: TSchema, description: string]> = {
  400: [ErrorBody, 'invalid_encoding: not valid percent-encoded UTF-8'],
  404: [ErrorBody, 'not_found: empty message'],
  414: [ErrorBody, 'message_too_long or uri_too_long'],
}

/** The answer to a message: what app2 computes and app1 passes on. */
export const Reversal = t.Object(
  {
    original: t.String({ description: 'The message, exactly as received (percent-decoded)' }),
    processed: t.String({ description: 'The message with its user-perceived characters in reverse order' }),
  },
  { title: 'Reversal' },
)
export type Reversal = typeof Reversal.static

function codePointCount(text: string): number {
  let count = 0
  for (const _ of text) count++
  return count
}
