import { t } from 'elysia'

/** Every error response body: a stable code for programs and a sentence for people. */
export const ErrorBody = t.Object(
  {
    error: t.String({ description: 'Stable machine-readable code, e.g. invalid_encoding', examples: ['not_found'] }),
    message: t.String({ description: 'What went wrong, for a human' }),
  },
  { title: 'Error' },
)
export type ErrorBody = typeof ErrorBody.static

/** A failure with a known HTTP status; the error-handler plugin turns it into an ErrorBody response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'HttpError'
  }

  body(): ErrorBody {
    return { error: this.code, message: this.message }
  }
}
