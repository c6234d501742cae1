import { type TSchema, t } from 'elysia'
import { ErrorBody, HttpError } from './errors'

// The message of the relay API, the same for app1 and app2: its limits, its decoding and the answer's shape.
//
// The limits follow from the first HTTP parser on the way. Bun's (and so each service's) refuses a request whose
// request line and headers together exceed 16 KiB, with a 431 and an empty body, before the service runs; an ALB
// refuses request lines over 16 K itself. Below that, the service answers everything, in JSON:
// - MAX_URL_LENGTH: the request target (path and query) the service reads at all; a longer one is a JSON 414
//   uri_too_long. It leaves 4 KiB of Bun's 16 KiB for the method, the version and the headers.
// - A message is at most MAX_MESSAGE_CHARS code points and MAX_MESSAGE_BYTES once percent-encoded the way
//   encodeURIComponent does it (UTF-8, each byte outside A-Z a-z 0-9 - _ . ! ~ * ' ( ) as %XX): 2,000
//   characters up to U+07FF (ASCII, Latin, Greek, Cyrillic, Hebrew, Arabic), 1,333 of the rest of the Basic
//   Multilingual Plane (CJK, Devanagari, Thai...), 1,000 beyond it (emoji). It is measured in this canonical
//   encoding whatever the client sent, so that app1's request to app2 for any message app1 accepts fits app2's
//   limits.
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
          'percent-encoded as encodeURIComponent does (2,000 Latin, Greek, Cyrillic, Hebrew or Arabic ' +
          'characters, 1,333 CJK, 1,000 emoji)',
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
