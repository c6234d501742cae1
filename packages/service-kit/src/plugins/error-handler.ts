import { Elysia } from 'elysia'
import { type ErrorBody, HttpError } from '../errors'
import { errorFields, type Logger } from '../logger'

// Every error becomes a JSON ErrorBody: no stack trace, no echo of the input (Elysia's default validation
// error repeats it), no plain-text NOT_FOUND. A 500 only for a bug of ours, never for what a client sent.

export const errorHandler = (logger: Logger) =>
  new Elysia({ name: 'error-handler' }).onError({ as: 'global' }, ({ code, error, set, request }): ErrorBody => {
    if (error instanceof HttpError) {
      set.status = error.status
      return error.body()
    }
    switch (code) {
      case 'NOT_FOUND':
        set.status = 404
        return { error: 'not_found', message: `No route for ${request.method} on this path` }
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
