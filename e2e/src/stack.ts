// The local copy of the AWS topology: two app1 instances behind a public balancer, two app2 instances behind
// an internal balancer, app1's APP2_URL pointing at the internal one. `make stack` runs it for people
// (serve.ts); the resilience test (resilience.ts) runs the same stack and breaks it on purpose.
import { join, resolve } from 'node:path'
import { Balancer } from './haproxy'
import { ManagedProcess } from './process'
import { freePorts } from './util'

const repoRoot = resolve(import.meta.dir, '../..')

/** Like the ALB's deregistration_delay (30 s), 10x shorter: how long a draining server may finish requests. */
export const DEREGISTRATION_DELAY_MS = 3000
/** Generous bound for `rise` checks (2 x 1 s) to bring a started instance into rotation. */
const IN_ROTATION_TIMEOUT_MS = 15_000
const STARTUP_TIMEOUT_MS = 20_000

export type Service = 'app1' | 'app2'

export class AppInstance {
  readonly name: string
  readonly url: string
  readonly process: ManagedProcess

  constructor(
    readonly service: Service,
    index: number,
    readonly port: number,
    env: Record<string, string | undefined>,
    runDir: string,
  ) {
    this.name = `${service}-${index}`
    this.url = `http://127.0.0.1:${port}`
    this.process = new ManagedProcess({
      name: this.name,
      command: ['bun', 'run', 'start'],
      cwd: join(repoRoot, service),
      env: { ...env, PORT: String(port) },
      logPath: join(runDir, `${this.name}.log`),
    })
  }

  /** Starts the process and waits until its own /health answers (not yet until a balancer sends it traffic). */
  start(): Promise<void> {
    return this.process.startServing(`${this.url}/health`, STARTUP_TIMEOUT_MS)
  }
}

export interface StackOptions {
  /** Where configs, sockets and logs go; the caller creates and removes it. */
  runDir: string
  /** The apps' LOG_LEVEL; the resilience test keeps them quiet. */
  logLevel: string
}

export class Stack {
  private constructor(
    readonly publicBalancer: Balancer,
    readonly internalBalancer: Balancer,
    readonly app1: AppInstance[],
    readonly app2: AppInstance[],
  ) {}

  static async start({ runDir, logLevel }: StackOptions): Promise<Stack> {
    const [publicPort, internalPort, ...appPorts] = await freePorts(6)
    // Metrics stay off locally: without METRICS_NAMESPACE the apps never call CloudWatch. The apps listen on
    // loopback only, like the balancers: nothing of the stack is reachable from the network.
    const { METRICS_NAMESPACE: _off, ...inherited } = process.env
    const env = { ...inherited, ENVIRONMENT: 'local', LOG_LEVEL: logLevel, HOST: '127.0.0.1' }

    const app2 = [1, 2].map((index) => new AppInstance('app2', index, appPorts[index - 1], env, runDir))
    const internalBalancer = new Balancer('internal', internalPort, app2, runDir)
    const app1Env = { ...env, APP2_URL: internalBalancer.url }
    const app1 = [1, 2].map((index) => new AppInstance('app1', index, appPorts[index + 1], app1Env, runDir))
    const publicBalancer = new Balancer('public', publicPort, app1, runDir)

    const stack = new Stack(publicBalancer, internalBalancer, app1, app2)
    await internalBalancer.start()
    await Promise.all(app2.map((instance) => instance.start()))
    await publicBalancer.start()
    await Promise.all(app1.map((instance) => instance.start()))
    await stack.waitAllInRotation()
    return stack
  }

  get instances(): AppInstance[] {
    return [...this.app1, ...this.app2]
  }

  balancerOf(instance: AppInstance): Balancer {
    return instance.service === 'app1' ? this.publicBalancer : this.internalBalancer
  }

  /** Waits until the instance's balancer has seen `rise` passing health checks and sends it traffic. */
  waitInRotation(instance: AppInstance): Promise<void> {
    return this.balancerOf(instance).waitStatus(instance.name, 'UP', IN_ROTATION_TIMEOUT_MS)
  }

  waitAllInRotation(): Promise<void> {
    return Promise.all(this.instances.map((instance) => this.waitInRotation(instance))).then(() => undefined)
  }

  /**
   * Replaces one instance the way an ASG instance refresh does behind an ALB: deregister (drain) the target,
   * let its requests finish, stop it with SIGTERM, start the replacement on the same port and wait until the
   * health checks put it in rotation. Returns whether the drain finished within the deregistration delay.
   */
  async rollingRestart(instance: AppInstance): Promise<{ drained: boolean }> {
    const balancer = this.balancerOf(instance)
    await balancer.drain(instance.name)
    const drained = await balancer.waitIdle(instance.name, DEREGISTRATION_DELAY_MS)
    await instance.process.stop()
    await this.replace(instance)
    return { drained }
  }

  /** Starts a stopped or killed instance again on its port and waits until it is back in rotation. */
  async replace(instance: AppInstance): Promise<void> {
    await this.balancerOf(instance).register(instance.name)
    await instance.start()
    await this.waitInRotation(instance)
  }

  /** Names of the processes (apps and balancers) that are not running. */
  deadProcesses(): string[] {
    const dead = this.instances.filter((instance) => !instance.process.running).map((instance) => instance.name)
    for (const balancer of [this.publicBalancer, this.internalBalancer]) {
      if (!balancer.running) dead.push(`${balancer.name} balancer`)
    }
    return dead
  }

  /** Brings back whatever a failed scenario left stopped or frozen, so the next scenario starts whole. */
  async heal(): Promise<void> {
    for (const instance of this.instances) {
      instance.process.signalGroup('SIGCONT')
      if (instance.process.running) await this.balancerOf(instance).ready(instance.name)
      else await this.replace(instance)
    }
    await this.waitAllInRotation()
  }

  /** Stops the public side first, so no new request enters while the instances behind it go away. */
  async stop(): Promise<void> {
    await this.publicBalancer.stop()
    await Promise.all(this.app1.map((instance) => instance.process.stop()))
    await this.internalBalancer.stop()
    await Promise.all(this.app2.map((instance) => instance.process.stop()))
  }
}
