import { CloudWatchClient } from '@aws-sdk/client-cloudwatch'
import { createApp } from './app'
import { type Config, ConfigError, DEFAULT_PORT, loadConfig } from './config'
import { healthcheck } from './healthcheck'
import { createLogger } from './logger'
import { Metrics } from './metrics'
import { handleShutdownSignals } from './shutdown'

const SERVICE = 'app2'
// Above the AWS ALB's 60 s idle timeout, so the load balancer, not this server, closes idle connections.
const IDLE_TIMEOUT_S = 75

if (process.argv.includes('--healthcheck')) process.exit(await healthcheck(process.env, DEFAULT_PORT))

let config: Config
try {
  config = loadConfig(process.env)
} catch (error) {
  if (!(error instanceof ConfigError)) throw error
  console.error(JSON.stringify({ level: 'error', service: SERVICE, msg: `invalid configuration: ${error.message}` }))
  process.exit(1)
}

const logger = createLogger({ service: SERVICE, level: config.logLevel })
const metrics = config.metrics
  ? new Metrics({
      namespace: config.metrics.namespace,
      service: SERVICE,
      environment: config.environment,
      sender: new CloudWatchClient({ region: config.metrics.region }),
      logger,
    })
  : undefined

const app = createApp({ logger, metrics }).listen({
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
  port: app.server?.port,
  environment: config.environment,
  logLevel: config.logLevel,
  metrics: config.metrics?.namespace ?? 'off',
})
