// One run of release or rollback: its options, its plan, how far it got, and how its steps reach AWS and output.
import type { Clients } from './aws'
import { AwsCallError, Interrupted } from './errors'
import type { Stage } from './names'
import type { ServicePlan } from './plan'

export interface Output {
  info(line: string): void
  error(line: string): void
}

/** AWS clients, output, clock, sleep and the interrupt signal come from the caller, so tests drive all of it. */
export interface ReleaseOptions {
  clients: Clients
  /** Region of the stage; only used in the aws CLI commands the tool prints. */
  region: string
  stage: Stage
  /** Print the requests that would change something instead of sending them; reads still happen. */
  dryRun?: boolean
  output: Output
  /** Time between two looks at a running instance refresh. */
  pollIntervalMs?: number
  /** Waits between two looks at a refresh; must return early when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  now?: () => number
  /** Aborted on Ctrl-C: the tool stops following and says how to go on by hand. */
  signal?: AbortSignal
}

/** An instance refresh this run started and follows. */
export interface StartedRefresh {
  plan: ServicePlan
  id: string
}

/** The state a release reached, for the messages that tell what runs where when it stops early. */
export interface Progress {
  changed: boolean
  released: ServicePlan[]
  refresh?: StartedRefresh
  /** The version this run created for the service being released, until its refresh succeeds. */
  created?: { plan: ServicePlan; version: number }
  /** A service whose group turned out to run the version created for it although its refresh failed. */
  kept?: ServicePlan
  /** Set once the released tags are being recorded: what is recorded after that is that step's business. */
  recording?: boolean
}

export class ReleaseRun {
  readonly progress: Progress = { changed: false, released: [] }
  /** One per service, in release order, once the stage has been read. */
  plans: ServicePlan[] = []

  constructor(readonly options: ReleaseOptions) {}

  get out(): Output {
    return this.options.output
  }

  get stage(): Stage {
    return this.options.stage
  }

  /**
   * Options of the requests that only read: an interrupt aborts them at once. Requests that change something are
   * never aborted halfway, so that the tool always knows whether the change happened.
   */
  get reading(): { abortSignal?: AbortSignal } {
    return { abortSignal: this.options.signal }
  }

  /** Awaits the answer to `command`; a failure becomes an AwsCallError that names the operation. */
  async call<T>(command: object, answer: Promise<T>): Promise<T> {
    try {
      return await answer
    } catch (error) {
      this.checkInterrupt()
      throw new AwsCallError(command.constructor.name.replace(/Command$/, ''), error)
    }
  }

  /** An aws CLI command for the stage's region, for what the tool tells people to run by hand. */
  awsCli(args: string): string {
    return `aws ${args} --region ${this.options.region}`
  }

  checkInterrupt(): void {
    if (this.options.signal?.aborted) throw new Interrupted()
  }

  /** In a dry run: prints the request that would have been sent. */
  showUnsent(service: string, operation: string, input: object): void {
    this.out.info(`  [dry run, not sent] ${service} ${operation} ${JSON.stringify(input)}`)
  }
}
