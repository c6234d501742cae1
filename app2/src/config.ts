import { LOG_LEVELS, type LogLevel } from './logger'

// Configuration comes only from environment variables, checked once at startup: a bad value stops the
// process with a message that names the variable.

export const ENVIRONMENTS = ['local', 'dev', 'staging', 'prod'] as const
export type Environment = (typeof ENVIRONMENTS)[number]

export interface Config {
  port: number
  logLevel: LogLevel
  environment: Environment
  /** CloudWatch metrics are sent only when a namespace is set. */
  metrics?: { namespace: string; region: string }
}

export type Env = Record<string, string | undefined>

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`)
    this.name = 'ConfigError'
  }
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

// The readers below are the same in app1 and app2.

export function readPort(env: Env, fallback: number): number {
  return readInteger(env, 'PORT', fallback, 1, 65_535)
}

export function readInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be a whole number from ${min} to ${max}, got "${raw}"`)
  }
  return value
}

export function readChoice<T extends string>(env: Env, name: string, choices: readonly T[], fallback: T): T {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!choices.includes(raw as T)) throw new ConfigError(name, `must be one of ${choices.join(', ')}, got "${raw}"`)
  return raw as T
}

const NAMESPACE = /^(?!AWS\/)[A-Za-z0-9._/#:-]{1,255}$/
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/

export function readMetrics(env: Env): Config['metrics'] {
  const namespace = env.METRICS_NAMESPACE
  if (namespace === undefined || namespace === '') return undefined
  if (!NAMESPACE.test(namespace)) {
    throw new ConfigError('METRICS_NAMESPACE', `is not a valid CloudWatch namespace: "${namespace}"`)
  }
  const region = env.AWS_REGION
  if (region === undefined || region === '') {
    throw new ConfigError('AWS_REGION', 'is required when METRICS_NAMESPACE is set')
  }
  if (!REGION.test(region)) throw new ConfigError('AWS_REGION', `is not an AWS region name: "${region}"`)
  return { namespace, region }
}
