// The processes of a run: the real apps as in production (`bun run start`, access logs and metrics on), the two
// baseline pairs, and the stand-in for CloudWatch that the apps' metrics flush to. Each runs in its own process
// group (e2e/src/process.ts) on a free port, its output in <run dir>/<name>.log.
import { join, resolve } from 'node:path'
import { ManagedProcess } from '../../e2e/src/process'
import { freePorts } from '../../e2e/src/util'
import { serverPid } from './proc'
import type { Settings } from './settings'

const repoRoot = resolve(import.meta.dir, '../..')
const STARTUP_TIMEOUT_MS = 30_000
/** Long enough for an app to flush its metrics on SIGTERM. */
const STOP_GRACE_MS = 15_000

/** The services that answer requests, whose CPU time and memory the benchmark measures. */
export const SERVERS = [
  'app1',
  'app2',
  'baseline-app1',
  'baseline-app2',
  'baseline-work-app1',
  'baseline-work-app2',
] as const
export type Server = (typeof SERVERS)[number]
type Service = Server | 'fake-cloudwatch'

interface ServiceSpec {
  name: Service
  /** The Bun project it runs in. */
  folder: string
  command: string[]
  env: Record<string, string>
}

function specs(settings: Settings, url: (service: Service) => string): ServiceSpec[] {
  // The real apps, configured as on EC2 except for the addresses. The AWS keys are dummies the stand-in accepts.
  const realApp = {
    LOG_LEVEL: settings.logLevel,
    METRICS_NAMESPACE: settings.metricsNamespace,
    ENVIRONMENT: 'local',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_CLOUDWATCH: url('fake-cloudwatch'),
    AWS_ACCESS_KEY_ID: 'bench-dummy',
    AWS_SECRET_ACCESS_KEY: 'bench-dummy',
    AWS_EC2_METADATA_DISABLED: 'true',
  }
  const benchScript = (name: Service, env: Record<string, string> = {}): ServiceSpec => ({
    name,
    folder: 'bench',
    command: ['bun', `${name}.ts`],
    env,
  })
  const realAppSpec = (name: 'app1' | 'app2', env: Record<string, string>): ServiceSpec => ({
    name,
    folder: name,
    command: ['bun', 'run', 'start'],
    env: { ...realApp, ...env },
  })
  return [
    benchScript('fake-cloudwatch'),
    realAppSpec('app2', {}),
    realAppSpec('app1', { APP2_URL: url('app2') }),
    benchScript('baseline-app2'),
    benchScript('baseline-app1', { APP2_URL: url('baseline-app2') }),
    benchScript('baseline-work-app2', { LOG_LEVEL: settings.logLevel }),
    benchScript('baseline-work-app1', { LOG_LEVEL: settings.logLevel, APP2_URL: url('baseline-work-app2') }),
  ]
}

interface Running {
  process: ManagedProcess
  url: string
}

export class Services {
  private readonly serverPids = new Map<Server, number>()

  private constructor(
    private readonly services: Map<Service, Running>,
    readonly runDir: string,
  ) {}

  /** Picks the ports and prepares the processes; `start` runs them. */
  static async create(settings: Settings, runDir: string): Promise<Services> {
    const names: Service[] = ['fake-cloudwatch', ...SERVERS]
    const ports = new Map((await freePorts(names.length)).map((port, index) => [names[index], port]))
    const url = (service: Service) => `http://127.0.0.1:${ports.get(service)}`
    const services = new Map<Service, Running>()
    for (const spec of specs(settings, url)) {
      const managed = new ManagedProcess({
        name: spec.name,
        command: spec.command,
        cwd: join(repoRoot, spec.folder),
        env: { ...process.env, ...spec.env, PORT: String(ports.get(spec.name)) },
        logPath: join(runDir, `${spec.name}.log`),
      })
      services.set(spec.name, { process: managed, url: url(spec.name) })
    }
    return new Services(services, runDir)
  }

  /** Starts every service, waits until each answers on /health, and finds the server process of each. */
  async start(): Promise<void> {
    await Promise.all(
      [...this.services.values()].map((service) =>
        service.process.startServing(`${service.url}/health`, STARTUP_TIMEOUT_MS),
      ),
    )
    for (const server of SERVERS) this.serverPids.set(server, serverPid(this.running(server).process.pid as number))
  }

  url(service: Service, path = ''): string {
    return this.running(service).url + path
  }

  logPath(service: Service): string {
    return join(this.runDir, `${service}.log`)
  }

  /** The process that serves (for `bun run start`, the child of the wrapper), whose CPU time and RSS count. */
  serverPid(server: Server): number {
    const pid = this.serverPids.get(server)
    if (pid === undefined) throw new Error(`${server} has not started`)
    return pid
  }

  /** SIGTERM, one after the other in this order; each may finish what it does (the apps flush their metrics). */
  async stop(services: Service[]): Promise<void> {
    for (const service of services) await this.running(service).process.stop(STOP_GRACE_MS)
  }

  /** Stops whatever still runs, in the reverse order of the start: the stand-in for CloudWatch last. */
  stopAll(): Promise<void> {
    return this.stop([...this.services.keys()].reverse())
  }

  private running(service: Service): Running {
    const running = this.services.get(service)
    if (!running) throw new Error(`no service ${service}`)
    return running
  }
}
