import type { TSchema } from 'elysia'

// Response schemas for the OpenAPI document only. Elysia would also validate every response against a route's
// `response` schemas, which costs measurable throughput on the hot path; the handlers' return types are
// checked by TypeScript instead, and the error bodies all come from the error-handler plugin.

type Responses = Record<number, [schema: TSchema, description: string]>

export function jsonResponses(responses: Responses) {
  return Object.fromEntries(
    Object.entries(responses).map(([status, [schema, description]]) => [
      status,
      { description, content: { 'application/json': { schema } } },
    ]),
  )
}
