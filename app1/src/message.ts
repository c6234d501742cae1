import { HttpError } from './errors'

// The limits of a message, the same in app1 and app2 (this file is identical in both).
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

function codePointCount(text: string): number {
  let count = 0
  for (const _ of text) count++
  return count
}
