import { ConfigError, type Env, readChoice, readInteger, readMetrics, readPort } from './env'
import { LOG_LEVELS, type LogLevel } from './logger'

// Configuration comes only from environment variables, checked once at startup: a bad value stops the
// process with a message that names the variable.

export { ConfigError } from './env'

export const ENVIRONMENTS = ['local', 'dev', 'staging', 'prod'] as const
export type Environment = (typeof ENVIRONMENTS)[number]

export interface Config {
  port: number
  logLevel: LogLevel
  environment: Environment
  /** CloudWatch metrics are sent only when a namespace is set. */
  metrics?: { namespace: string; region: string }
  /** Base URL of app2, without a trailing slash. */
  app2Url: string
  app2TimeoutMs: number
}

export const DEFAULT_PORT = 3001

export function loadConfig(env: Env): Config {
  return {
    port: readPort(env, DEFAULT_PORT),
    logLevel: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    environment: readChoice(env, 'ENVIRONMENT', ENVIRONMENTS, 'local'),
    metrics: readMetrics(env),
    app2Url: readApp2Url(env),
    app2TimeoutMs: readInteger(env, 'APP2_TIMEOUT_MS', 2000, 1, 60_000),
  }
}

function readApp2Url(env: Env): string {
  const raw = env.APP2_URL
  if (raw === undefined || raw === '') throw new ConfigError('APP2_URL', 'is required (e.g. http://127.0.0.1:3002)')
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError('APP2_URL', `is not a URL: "${raw}"`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('APP2_URL', `must be an http or https URL, got "${raw}"`)
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError('APP2_URL', `must be a plain base URL without credentials, query or fragment, got "${raw}"`)
  }
  return url.href.replace(/\/+$/, '')
}
