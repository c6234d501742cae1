import { type TSchema, t } from 'elysia'
import { ErrorBody, HttpError } from './errors'

// The message of the relay API, the same for app1 and app2: its limits, its decoding and the answer's shape.
//
// The limits follow from the first HTTP parser on the way, Bun's, which refuses too long a request head with an
// empty 431 before the service runs: below that, the service answers everything, in JSON. README.md ("Limits")
// gives the numbers and how they fit together:
// - MAX_URL_LENGTH: the request target (path and query) the service reads at all, leaving room in Bun's limit
//   for the method, the version and the headers; a longer one is a JSON 414 uri_too_long.
// - A message is at most MAX_MESSAGE_CHARS code points and MAX_MESSAGE_BYTES once percent-encoded the way
//   encodeURIComponent does it (UTF-8, each byte outside A-Z a-z 0-9 - _ . ! ~ * ' ( ) as %XX), measured in this
//   canonical encoding whatever the client sent, so that app1's request to app2 for any message app1 accepts
//   fits app2's limits.
export const MAX_MESSAGE_CHARS = 2000
export const MAX_MESSAGE_BYTES = 12_000
export const MAX_URL_LENGTH = 12 * 1024

/**
 * The request target of a request's URL: its path and query, still percent-encoded. (Elysia's own `path`
 * assumes a host of at least a few characters and cuts the path wrong after a short Host header.)
 */
export function requestTarget(url: string): string {
  return url.slice(targetStart(url)) || '/'
}

/** requestTarget(url).length, without making the string. */
export function requestTargetLength(url: string): number {
  return url.length - targetStart(url)
}

function targetStart(url: string): number {
  const pathStart = url.indexOf('/', url.indexOf('//') + 2)
  return pathStart === -1 ? url.length : pathStart
}

/** The path of a request's URL, still percent-encoded, without the query. */
export function requestPath(url: string): string {
  const target = requestTarget(url)
  const queryStart = target.indexOf('?')
  return queryStart === -1 ? target : target.slice(0, queryStart)
}

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
  if (isTooLong(message)) {
    throw new HttpError(
      414,
      'message_too_long',
      `The message is longer than ${MAX_MESSAGE_CHARS} characters or ${MAX_MESSAGE_BYTES} bytes percent-encoded`,
    )
  }
  return message
}

// One UTF-16 code unit takes at most 9 bytes percent-encoded (3 UTF-8 bytes), and .length never counts fewer
// units than code points: the exact counts are needed only for long messages.
function isTooLong(message: string): boolean {
  if (message.length * 9 <= MAX_MESSAGE_BYTES) return false
  return codePointCount(message) > MAX_MESSAGE_CHARS || encodeURIComponent(message).length > MAX_MESSAGE_BYTES
}

/** The most characters of `utf8Bytes` UTF-8 bytes each (3 characters percent-encoded per byte) a message can have. */
function longest(utf8Bytes: number): string {
  return Math.min(MAX_MESSAGE_CHARS, Math.floor(MAX_MESSAGE_BYTES / (3 * utf8Bytes))).toLocaleString('en-US')
}

/**
 * The `:message` parameter of a route under `prefix` (such as '/api2/send/'), to spread into the route's options:
 * its schema, for validation and the OpenAPI document, and a transform that replaces Elysia's lenient decoding
 * with decodeMessage of the raw path, before validation.
 */
export function messageParam(prefix: string) {
  return {
    params: t.Object({
      message: t.String({
        description:
          `Percent-encoded UTF-8, 1 to ${MAX_MESSAGE_CHARS} characters and at most ${MAX_MESSAGE_BYTES} bytes ` +
          `percent-encoded as encodeURIComponent does (${longest(2)} Latin, Greek, Cyrillic, Hebrew or Arabic ` +
          `characters, ${longest(3)} CJK, ${longest(4)} emoji)`,
      }),
    }),
    transform({ params, request }: { params: { message: string }; request: Request }) {
      const path = requestPath(request.url)
      params.message = decodeMessage(path.startsWith(prefix) ? path.slice(prefix.length) : '')
    },
  }
}

/** The errors a route with messageParam answers, for its OpenAPI document: spread into jsonResponses. */
export const messageErrors: Record<400 | 404 | 414, [schema: TSchema, description: string]> = {
  400: [ErrorBody, 'invalid_encoding: not valid percent-encoded UTF-8'],
  404: [ErrorBody, 'not_found: empty message'],
  414: [
    ErrorBody,
    `message_too_long: over ${MAX_MESSAGE_CHARS} characters or ${MAX_MESSAGE_BYTES} bytes percent-encoded; ` +
      `uri_too_long: a request target (path and query) over ${MAX_URL_LENGTH} bytes`,
  ],
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
