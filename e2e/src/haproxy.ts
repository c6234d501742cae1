// An HAProxy process standing in for one ALB, and its runtime API (stats socket): the stack reads which
// servers the health checks consider up, and drains a server before stopping it, as an ALB deregisters a target.
import { readFileSync, writeFileSync } from 'node:fs'
import { createConnection } from 'node:net'
import { join } from 'node:path'
import { ManagedProcess } from './process'
import { waitFor } from './util'

const template = readFileSync(join(import.meta.dir, 'haproxy.cfg.template'), 'utf8')

export interface BackendServer {
  name: string
  port: number
}

/** One row of `show stat` for a server: its status (UP, DOWN, DRAIN, MAINT, "UP 1/2"...) and live sessions. */
export interface ServerStat {
  name: string
  status: string
  currentSessions: number
  lastCheck: string
}

export class Balancer {
  readonly url: string
  private readonly socketPath: string
  private readonly configPath: string
  private readonly process: ManagedProcess

  constructor(
    readonly name: string,
    readonly port: number,
    readonly servers: BackendServer[],
    runDir: string,
  ) {
    this.url = `http://127.0.0.1:${port}`
    this.socketPath = join(runDir, `${name}.sock`)
    this.configPath = join(runDir, `${name}.cfg`)
    this.process = new ManagedProcess({
      name,
      command: ['haproxy', '-db', '-f', this.configPath],
      cwd: runDir,
      env: { PATH: process.env.PATH },
      logPath: join(runDir, `${name}.log`),
    })
  }

  private renderConfig(): string {
    const servers = this.servers.map((server) => `  server ${server.name} 127.0.0.1:${server.port}`).join('\n')
    return template
      .replaceAll('{{NAME}}', this.name)
      .replaceAll('{{PORT}}', String(this.port))
      .replaceAll('{{STATS_SOCKET}}', this.socketPath)
      .replaceAll('{{SERVERS}}', servers)
  }

  get running(): boolean {
    return this.process.running
  }

  async start(): Promise<void> {
    writeFileSync(this.configPath, this.renderConfig())
    this.process.start()
    await waitFor(
      `${this.name} balancer's runtime API`,
      () =>
        this.stats().then(
          () => true,
          () => false,
        ),
      10_000,
    )
  }

  async stop(): Promise<void> {
    // SIGUSR1 is HAProxy's soft stop: stop listening, finish the requests in flight, exit.
    this.process.signal('SIGUSR1')
    if (!(await this.process.waitExit(5000))) await this.process.stop()
  }

  /** Sends one command to the runtime API and returns its answer. */
  command(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = []
      const socket = createConnection(this.socketPath, () => socket.end(`${line}\n`))
      socket.setTimeout(2000, () => socket.destroy(new Error(`${this.name}: no answer to "${line}"`)))
      socket.on('data', (chunk: Buffer) => chunks.push(chunk))
      socket.on('end', () => resolve(Buffer.concat(chunks).toString()))
      socket.on('error', reject)
    })
  }

  async stats(): Promise<ServerStat[]> {
    const csv = await this.command('show stat')
    const [header, ...rows] = csv.trim().split('\n')
    const columns = header.replace(/^# /, '').split(',')
    const column = (name: string) => columns.indexOf(name)
    return rows
      .map((row) => row.split(','))
      .filter((cells) => cells[column('svname')] !== 'FRONTEND' && cells[column('svname')] !== 'BACKEND')
      .map((cells) => ({
        name: cells[column('svname')],
        status: cells[column('status')],
        currentSessions: Number(cells[column('scur')]),
        lastCheck: cells[column('check_status')],
      }))
  }

  async serverStat(server: string): Promise<ServerStat> {
    const stat = (await this.stats()).find((candidate) => candidate.name === server)
    if (!stat) throw new Error(`${this.name} has no server ${server}`)
    return stat
  }

  private async setServer(server: string, setting: string): Promise<void> {
    const answer = await this.command(`set server ${this.name}_targets/${server} ${setting}`)
    if (answer.trim() !== '') throw new Error(`${this.name}: set server ${server} ${setting}: ${answer.trim()}`)
  }

  /** New requests go to the other servers; requests in flight finish (an ALB target in "draining"). */
  drain(server: string): Promise<void> {
    return this.setServer(server, 'state drain')
  }

  /** Puts the server back in rotation (for as long as its health checks pass). */
  ready(server: string): Promise<void> {
    return this.setServer(server, 'state ready')
  }

  /**
   * Treats the server as a newly registered target: down until `rise` health checks pass, then in rotation.
   * Without this, a replacement that starts before the checks noticed the old process gone would get traffic
   * unchecked.
   */
  async register(server: string): Promise<void> {
    await this.setServer(server, 'health down')
    await this.setServer(server, 'state ready')
  }

  async waitStatus(server: string, status: 'UP' | 'DOWN', timeoutMs: number): Promise<void> {
    let last: ServerStat | undefined
    try {
      await waitFor(
        `${this.name}/${server} to be ${status}`,
        async () => {
          last = await this.serverStat(server)
          return last.status === status
        },
        timeoutMs,
        50,
      )
    } catch (error) {
      throw new Error(`${(error as Error).message} (last seen: ${last?.status}, last check: ${last?.lastCheck})`)
    }
  }

  /** Waits until the server has no request in flight, for at most `timeoutMs` (the deregistration delay). */
  async waitIdle(server: string, timeoutMs: number): Promise<boolean> {
    try {
      await waitFor(
        `${this.name}/${server} to finish its requests`,
        async () => (await this.serverStat(server)).currentSessions === 0,
        timeoutMs,
        50,
      )
      return true
    } catch {
      return false
    }
  }
}
