import { runService } from '@relay/service-kit'
import { createApp } from './app'

await runService({ name: 'app2', defaultPort: 3002, createApp })
