// A long-running child process (an app instance or a balancer) that the stack can signal, stop and restart.
// Each one runs in its own process group, so one signal reaches `bun run` and the server it starts, and a
// Ctrl-C in the terminal reaches only the controller, which then stops everything in order.
import { closeSync, openSync, writeFileSync } from 'node:fs'
import type { Subprocess } from 'bun'
import { answers, lastLines, sleep, waitFor } from './util'

const liveGroups = new Set<number>()
let groupsFile: string | undefined

/**
 * Keeps `file` listing the process groups still running, one per line, so the shell wrapper's exit trap can
 * kill them even when this controller dies without running its own cleanup (SIGKILL, crash).
 */
export function recordProcessGroupsIn(file: string): void {
  groupsFile = file
  saveGroups()
}

function saveGroups(): void {
  if (groupsFile) writeFileSync(groupsFile, [...liveGroups].map((id) => `${id}\n`).join(''))
}

/** Last resort on exit: SIGKILL every process group this controller started and that still runs. */
export function killAllProcessGroups(): void {
  for (const group of liveGroups) {
    try {
      process.kill(-group, 'SIGKILL')
    } catch {
      // Already gone.
    }
  }
  liveGroups.clear()
  saveGroups()
}

export interface ProcessSpec {
  name: string
  command: string[]
  cwd: string
  env: Record<string, string | undefined>
  logPath: string
}

export class ManagedProcess {
  private child: Subprocess | undefined

  constructor(private readonly spec: ProcessSpec) {}

  get name(): string {
    return this.spec.name
  }

  /** The group leader's process id (the group's id too); undefined before the first start. */
  get pid(): number | undefined {
    return this.child?.pid
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null
  }

  /** How the last run ended, e.g. "exit 0" or "signal SIGKILL"; undefined while it runs. */
  get exitStatus(): string | undefined {
    if (!this.child || this.running) return undefined
    return this.child.signalCode ? `signal ${this.child.signalCode}` : `exit ${this.child.exitCode}`
  }

  start(): void {
    if (this.running) throw new Error(`${this.name} is already running`)
    const log = openSync(this.spec.logPath, 'a')
    const child = Bun.spawn(this.spec.command, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdin: 'ignore',
      stdout: log,
      stderr: log,
      detached: true,
    })
    closeSync(log)
    this.child = child
    liveGroups.add(child.pid)
    saveGroups()
    child.exited.then(() => {
      // The group can outlive its leader (a server that `bun run` started); make sure nothing is left.
      this.signalGroup('SIGKILL')
      liveGroups.delete(child.pid)
      saveGroups()
    })
  }

  /**
   * Starts the process and waits until `url` answers 2xx. Fails as soon as the process exits, or after
   * `timeoutMs`, with the end of its log in the error.
   */
  async startServing(url: string, timeoutMs: number): Promise<void> {
    this.start()
    try {
      await waitFor(
        `${this.name} to answer on ${url}`,
        async () => {
          if (!this.running) throw new Error(`${this.name} exited while starting (${this.exitStatus})`)
          return answers(url)
        },
        timeoutMs,
      )
    } catch (error) {
      const tail = lastLines(this.spec.logPath, 20).map((line) => `    ${line}`)
      throw new Error([`${(error as Error).message}; the end of ${this.spec.logPath}:`, ...tail].join('\n'))
    }
  }

  /** Sends `signal` to the group leader only: `bun run` forwards SIGTERM to the server it started. */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child?.kill(signal)
  }

  /** Sends `signal` to every process of the group (kill -9, SIGSTOP and SIGCONT must reach the server). */
  signalGroup(signal: NodeJS.Signals): void {
    if (!this.child) return
    try {
      process.kill(-this.child.pid, signal)
    } catch {
      // The group is already gone.
    }
  }

  /** Resolves when the process has exited; returns false if it still runs after `timeoutMs`. */
  async waitExit(timeoutMs: number): Promise<boolean> {
    if (!this.child) return true
    return Promise.race([this.child.exited.then(() => true), sleep(timeoutMs).then(() => false)])
  }

  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once the process is gone. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return
    this.signal('SIGTERM')
    if (!(await this.waitExit(graceMs))) {
      console.error(`${this.name} still runs ${graceMs} ms after SIGTERM; sending SIGKILL`)
      this.signalGroup('SIGKILL')
      await this.waitExit(5000)
    }
  }
}
