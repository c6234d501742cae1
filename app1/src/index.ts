import { runService } from '@relay/service-kit'
import { createApp } from './app'
import { DEFAULT_PORT, loadConfig } from './config'

await runService({
  name: 'app1',
  defaultPort: DEFAULT_PORT,
  loadConfig,
  createApp: ({ config: { app2Url, app2TimeoutMs }, logger, metrics }) =>
    createApp({ logger, metrics, app2Url, app2TimeoutMs }),
  startedFields: ({ app2Url, app2TimeoutMs }) => ({ app2Url, app2TimeoutMs }),
})
