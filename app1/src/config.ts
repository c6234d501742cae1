import { type BaseConfig, ConfigError, type Env, loadBaseConfig, readInteger } from '@relay/service-kit'

// app1's own variables, read after those of every service (PORT, LOG_LEVEL, ENVIRONMENT, metrics).

export interface Config extends BaseConfig {
  /** Base URL of app2, without a trailing slash. */
  app2Url: string
  app2TimeoutMs: number
}

export const DEFAULT_PORT = 3001

export function loadConfig(env: Env): Config {
  return {
    ...loadBaseConfig(env, DEFAULT_PORT),
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
