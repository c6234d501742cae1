import { type Env, readChoice, readHost, readMetrics, readPort, readStage } from './env'
import { LOG_LEVELS, type LogLevel } from './logger'

// Configuration comes only from environment variables, checked once at startup: a bad value stops the
// process with a message that names the variable. These are the variables every service reads; a service
// reads its own after them (runService's loadConfig).

export interface BaseConfig {
  /** The address to listen on: 0.0.0.0 unless HOST says otherwise. */
  host: string
  port: number
  logLevel: LogLevel
  /** `local` on a workstation, else the stage the service runs in (dev, staging, prod, or any other stage). */
  environment: string
  /** CloudWatch metrics are sent only when a namespace is set. */
  metrics?: { namespace: string; region: string }
}

export function loadBaseConfig(env: Env, defaultPort: number): BaseConfig {
  return {
    host: readHost(env),
    port: readPort(env, defaultPort),
    logLevel: readChoice(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    environment: readStage(env, 'local'),
    metrics: readMetrics(env),
  }
}
