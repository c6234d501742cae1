import { isIP } from 'node:net'

// Readers of environment variables that fail with a message naming the variable.

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

export function readPort(env: Env, fallback: number): number {
  return readInteger(env, 'PORT', fallback, 1, 65_535)
}

/**
 * HOST: the address to listen on, an IP address. 0.0.0.0 (every IPv4 interface) is what a container needs;
 * 127.0.0.1 keeps a service on a workstation out of reach of the network.
 */
export function readHost(env: Env, fallback = '0.0.0.0'): string {
  const raw = env.HOST
  if (raw === undefined || raw === '') return fallback
  if (isIP(raw) === 0) {
    throw new ConfigError('HOST', `must be an IP address to listen on, such as 0.0.0.0 or 127.0.0.1, got "${raw}"`)
  }
  return raw
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

// A stage name as Terraform's modules/stack takes it (relay-<stage>-... names AWS resources): a new stage needs no
// change here.
const STAGE = /^[a-z]([a-z0-9-]{0,15}[a-z0-9])?$/

/** ENVIRONMENT: the stage the service runs in, `local` outside AWS. */
export function readStage(env: Env, fallback: string): string {
  const raw = env.ENVIRONMENT
  if (raw === undefined || raw === '') return fallback
  if (!STAGE.test(raw)) {
    throw new ConfigError(
      'ENVIRONMENT',
      `must be local or a stage name (1-17 lowercase letters, digits and hyphens, such as dev), got "${raw}"`,
    )
  }
  return raw
}

const NAMESPACE = /^(?!AWS\/)[A-Za-z0-9._/#:-]{1,255}$/
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/

export function readMetrics(env: Env): { namespace: string; region: string } | undefined {
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
