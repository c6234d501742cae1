import { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import type { AnyElysia } from 'elysia'
import { type BaseConfig, loadBaseConfig } from './config'
import { ConfigError, type Env } from './env'
import { healthcheck } from './healthcheck'
import { createLogger, type LogFields } from './logger'
import { Metrics } from './metrics'
import type { Telemetry } from './service'
import { handleShutdownSignals } from './shutdown'

// Above the AWS ALB's 60 s idle timeout, so the load balancer, not this server, closes idle connections.
const IDLE_TIMEOUT_S = 75

export interface ServiceDeps<Config extends BaseConfig> extends Telemetry {
  config: Config
}

export interface RunServiceOptions<Config extends BaseConfig> {
  /** The `service` field of every log line and the `Service` metric dimension. */
  name: string
  /** Where to listen when PORT is not set; also what `--healthcheck` asks then. */
  defaultPort: number
  /** Reads the service's configuration, the base variables included (loadBaseConfig). Default: only those. */
  loadConfig?: (env: Env) => Config
  /** The service's app (createService and its routes), not yet listening. */
  createApp: (deps: ServiceDeps<Config>) => AnyElysia
  /** What the `started` log line adds about the service's own configuration. */
  startedFields?: (config: Config) => LogFields
}

/**
 * The whole program of a service, called from its index.ts. With `--healthcheck`: exits 0 when GET /health on
 * PORT answers 200 (the image's HEALTHCHECK). Otherwise: reads the configuration (a bad value prints one JSON
 * line on stderr and exits 1), creates the logger and, when METRICS_NAMESPACE is set, CloudWatch metrics,
 * listens on HOST and PORT, drains and exits on SIGTERM or SIGINT, and logs `started`.
 */
export async function runService<Config extends BaseConfig>(
  options: RunServiceOptions<Config> & { loadConfig: (env: Env) => Config },
): Promise<void>
export async function runService(options: RunServiceOptions<BaseConfig>): Promise<void>
export async function runService<Config extends BaseConfig>(options: RunServiceOptions<Config>): Promise<void> {
  const { name, defaultPort } = options
  if (process.argv.includes('--healthcheck')) process.exit(await healthcheck(process.env, defaultPort))

  const loadConfig = options.loadConfig ?? ((env: Env) => loadBaseConfig(env, defaultPort) as Config)
  let config: Config
  try {
    config = loadConfig(process.env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(JSON.stringify({ level: 'error', service: name, msg: `invalid configuration: ${error.message}` }))
    process.exit(1)
  }

  const logger = createLogger({ service: name, level: config.logLevel })
  const metrics = config.metrics
    ? new Metrics({
        namespace: config.metrics.namespace,
        service: name,
        environment: config.environment,
        sender: new CloudWatchClient({ region: config.metrics.region }),
        logger,
      })
    : undefined

  const app = options.createApp({ config, logger, metrics }).listen({
    hostname: config.host,
    port: config.port,
    idleTimeout: IDLE_TIMEOUT_S,
    // Elysia turns Bun's development mode on unless NODE_ENV=production, and shares the port with any other
    // process (reusePort): neither belongs in a service.
    development: false,
    reusePort: false,
  })
  metrics?.start()
  handleShutdownSignals(app, logger, metrics)
  logger.info('started', {
    host: config.host,
    port: app.server?.port,
    environment: config.environment,
    logLevel: config.logLevel,
    metrics: config.metrics?.namespace ?? 'off',
    ...options.startedFields?.(config),
  })
}
