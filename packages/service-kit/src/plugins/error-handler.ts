import { Elysia } from 'elysia'
import { type ErrorBody, HttpError } from '../errors'
import { errorFields, type Logger } from '../logger'
import { requestPath } from '../message'

// Every error becomes a JSON ErrorBody: no stack trace, no echo of the input (Elysia's default validation
// error repeats it), no plain-text NOT_FOUND. A 500 only for a bug of ours, never for what a client sent.

export interface ErrorHandlerOptions {
  /**
   * The methods the app answers on a path. When a path is known but not for the request's method, the answer is
   * a 405 with these in its Allow header instead of a 404. Without it, every unrouted request is a 404.
   */
  allowedMethods?: (path: string) => string[]
}

export const errorHandler = (logger: Logger, { allowedMethods }: ErrorHandlerOptions = {}) =>
  new Elysia({ name: 'error-handler' }).onError({ as: 'global' }, ({ code, error, set, request }): ErrorBody => {
    if (error instanceof HttpError) {
      set.status = error.status
      return error.body()
    }
    switch (code) {
      case 'NOT_FOUND': {
        // The method is one Bun's parser knows (it closes the connection on any other), so it is safe to repeat.
        const allowed = allowedMethods?.(requestPath(request.url)) ?? []
        if (allowed.length > 0) {
          set.status = 405
          set.headers.allow = allowed.join(', ')
          return {
            error: 'method_not_allowed',
            message: `${request.method} is not allowed on this path, only ${allowed.join(', ')}`,
          }
        }
        set.status = 404
        return { error: 'not_found', message: `No route for ${request.method} on this path` }
      }
      case 'VALIDATION':
      case 'PARSE':
      case 'INVALID_COOKIE_SIGNATURE':
      case 'INVALID_FILE_TYPE':
        set.status = 400
        return { error: 'invalid_request', message: 'The request does not match the API (see /swagger)' }
      default:
        set.status = 500
        logger.error('unhandled error', { code, ...errorFields(error) })
        return { error: 'internal_error', message: 'Something went wrong on our side' }
    }
  })
