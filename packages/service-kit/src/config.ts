import { type Env, readChoice, readHost, readMetrics, readPort } from './env'
import { LOG_LEVELS, type LogLevel } from './logger'

// Configuration comes only from environment variables, checked once at startup: a bad value stops the
// process with a message that names the variable. These are the variables every service reads; a service
// reads its own after them (runService's loadConfig).

export const ENVIRONMENTS = ['local', 'dev', 'staging', 'prod'] as const
export type Environment = (typeof ENVIRONMENTS)[number]

export interface BaseConfig {
  /** The address to listen on: 0.0.0.0 unless HOST says otherwise. */
  host: string
  port: number
  logLevel: LogLevel
  environment: Environment
  /** CloudWatch metrics are sent only when a namespace is set. */
  metrics?: { namespace: string; region: string }
}

export function loadBaseConfig(env: Env, defaultPort: number): BaseConfig {
  return {
    host: readHost(env),
    port: readPort(env, defaultPort),
    logLevel: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    environment: readChoice(env, 'ENVIRONMENT', ENVIRONMENTS, 'local'),
    metrics: readMetrics(env),
  }
}
