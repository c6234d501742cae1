import { type Env, readChoice, readMetrics, readPort } from './env'
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
}

export const DEFAULT_PORT = 3002

export function loadConfig(env: Env): Config {
  return {
    port: readPort(env, DEFAULT_PORT),
    logLevel: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    environment: readChoice(env, 'ENVIRONMENT', ENVIRONMENTS, 'local'),
    metrics: readMetrics(env),
  }
}
