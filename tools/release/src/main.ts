// Command line of the release tool (make release / make rollback run it through scripts/release.sh):
//   bun src/main.ts release --stage <stage> (--app1 <tag> --app2 <tag> | --tag <tag>) [--dry-run]
//   bun src/main.ts rollback --stage <stage> [--dry-run]
// Exit codes: 0 released, 1 a change was made and the release failed, 2 refused (nothing changed), 130 interrupted.

import { parseArgs } from 'node:util'
import { awsClients, type Clients } from './aws'
import { tagProblem } from './image'
import { isStage, type Stage, stages } from './names'
import { exitCodes, type Output, release, rollback, type Tags } from './release'

const usage = [
  'usage: release --stage <stage> (--app1 <tag> --app2 <tag> | --tag <tag for both>) [--dry-run]',
  '       rollback --stage <stage> [--dry-run]',
  `  <stage>: ${stages.join(', ')}; <tag>: a full 40-character commit SHA or sha256:<64 hex>`,
  '  Needs AWS_REGION and AWS credentials (any source the AWS SDK reads). README.md says what each step does.',
].join('\n')

class UsageError extends Error {}

interface Command {
  name: 'release' | 'rollback'
  stage: Stage
  tags?: Tags
  dryRun: boolean
}

function parse(argv: string[]): Command | 'help' {
  let parsed: ReturnType<typeof parseOptions>
  try {
    parsed = parseOptions(argv)
  } catch (error) {
    // node:util's messages for unknown options run long; the option's name is what matters.
    const { code, message } = error as { code?: string; message: string }
    const option = /'(-[^' ]+)/.exec(message)?.[1]
    throw new UsageError(
      `${code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option ? `unknown option ${option}` : message}; see --help`,
    )
  }
  const { values, positionals } = parsed
  if (values.help) return 'help'
  const [name, ...extra] = positionals
  if (name !== 'release' && name !== 'rollback') {
    throw new UsageError(name ? `unknown command "${name}" (release or rollback)` : 'no command (release or rollback)')
  }
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
  if (values.stage === undefined) throw new UsageError(`no stage: give --stage ${stages.join('|')}`)
  if (!isStage(values.stage)) throw new UsageError(`unknown stage "${values.stage}" (${stages.join(', ')})`)
  const command: Command = { name, stage: values.stage, dryRun: values['dry-run'] ?? false }

  const { tag, app1, app2 } = values
  if (name === 'rollback') {
    if (tag !== undefined || app1 !== undefined || app2 !== undefined) {
      throw new UsageError('rollback takes no tags: it releases the tags recorded before the last release')
    }
    return command
  }
  if (tag !== undefined && (app1 !== undefined || app2 !== undefined)) {
    throw new UsageError('give either --tag (both services) or --app1 and --app2, not both')
  }
  const tags = { app1: app1 ?? tag, app2: app2 ?? tag }
  for (const service of ['app1', 'app2'] as const) {
    const value = tags[service]
    if (value === undefined) throw new UsageError(`no tag for ${service}: give --app1 and --app2, or --tag for both`)
    const problem = tagProblem(value)
    if (problem) throw new UsageError(`${tag === undefined ? `${service} tag` : 'tag'}: ${problem}`)
  }
  return { ...command, tags: tags as Tags }
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      stage: { type: 'string' },
      tag: { type: 'string' },
      app1: { type: 'string' },
      app2: { type: 'string' },
      'dry-run': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

/** Runs the command line `argv` and returns the exit code. */
export async function main(
  argv: string[],
  env: Record<string, string | undefined>,
  output: Output,
  { signal, clients = awsClients }: { signal?: AbortSignal; clients?: (region: string) => Clients } = {},
): Promise<number> {
  let command: Command | 'help'
  try {
    command = parse(argv)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    output.error(`error: ${error.message}`)
    return exitCodes.refused
  }
  if (command === 'help') {
    output.info(usage)
    return exitCodes.released
  }

  const region = env.AWS_REGION
  if (!region) {
    output.error(`error: AWS_REGION is not set: set it to the region of the ${command.stage} stage, e.g. eu-west-1`)
    return exitCodes.refused
  }
  if (!/^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$/.test(region)) {
    output.error(`error: AWS_REGION "${region}" is not a region name such as eu-west-1`)
    return exitCodes.refused
  }

  const options = { clients: clients(region), region, stage: command.stage, dryRun: command.dryRun, output, signal }
  if (command.dryRun)
    output.info('Dry run: reads happen, the requests that would change something are printed instead.')
  return command.tags ? release({ ...options, tags: command.tags }) : rollback(options)
}

if (import.meta.main) {
  const output: Output = {
    info: (line) => process.stdout.write(`${line}\n`),
    error: (line) => process.stderr.write(`${line}\n`),
  }
  // The first Ctrl-C stops following the refresh (which goes on in AWS) and says how to go on; a second one quits.
  const interrupt = new AbortController()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupt.signal.aborted) process.exit(exitCodes.interrupted)
      interrupt.abort()
    })
  }
  const code = await main(process.argv.slice(2), process.env, output, { signal: interrupt.signal })
  // The SDK keeps connections open; leave now rather than when they time out.
  process.exit(code)
}
