// The repository's rules for GitHub Actions, which actionlint does not know: pinned actions, least privilege,
// bounded jobs, no AWS keys, lock-free plans with the read-only plan role, no OIDC token for pull requests but the
// plan role's; shellcheck over every `run:` script, in workflows and in the local actions under .github/actions;
// Dependabot watching directories that exist.
// Usage: bun tools/workflow-lint/policy.ts   (from the repository root; exits 1 on any violation)
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is untyped
type Yaml = any

const workflowsDir = '.github/workflows'
const actionsDir = '.github/actions'
const problems: string[] = []
const report = (where: string, problem: string) => problems.push(`${where}: ${problem}`)

/** `uses: owner/repo[/path]@<40 hex> # v1.2.3`; local actions (./) and docker:// images are not pinned here. */
const pinnedUse = /^\s*(?:-\s+)?uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*\s*$/

function checkUsesLines(file: string, text: string) {
  text.split('\n').forEach((line, index) => {
    const uses = line.match(/^\s*(?:-\s+)?uses:\s+(\S+)/)
    if (!uses || uses[1].startsWith('./') || uses[1].startsWith('docker://')) return
    if (!pinnedUse.test(line)) {
      report(`${file}:${index + 1}`, `action not pinned to a full commit SHA with a "# vX.Y.Z" comment: ${uses[1]}`)
    }
  })
  if (/aws-access-key-id|aws-secret-access-key|AWS_SECRET_ACCESS_KEY/i.test(text)) {
    report(file, 'long-lived AWS keys: use OIDC (role-to-assume) instead')
  }
}

const isMap = (value: Yaml) => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The events a workflow runs for: `on: push`, `on: [push, pull_request]` or `on: { push: ..., pull_request: ... }`. */
function triggers(workflow: Yaml): string[] {
  const on = workflow.on
  if (typeof on === 'string') return [on]
  if (Array.isArray(on)) return on.map(String)
  return isMap(on) ? Object.keys(on) : []
}

/**
 * Whether a job's `if:` keeps it from running for pull requests: one of the conditions it requires (joined by
 * `&&`, no `||` outside parentheses) is an event other than a pull request's, or, where no pull_request_target
 * triggers the workflow, a branch or tag ref (a pull request's ref is refs/pull/<n>/merge; under
 * pull_request_target it is the base branch's, such as refs/heads/main). Anything else counts as able to run for
 * pull requests.
 */
function excludesPullRequests(condition: Yaml, refTellsPullRequestsApart: boolean): boolean {
  if (condition === false) return true
  if (typeof condition !== 'string') return false
  const expression = condition
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
    .replace(/\s+/g, ' ')
  const required: string[] = []
  let depth = 0
  let quoted = false
  let start = 0
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i]
    if (char === "'") quoted = !quoted
    if (quoted) continue
    if (char === '(') depth++
    if (char === ')') depth--
    if (depth !== 0) continue
    if (expression.startsWith('||', i)) return false
    if (expression.startsWith('&&', i)) {
      required.push(expression.slice(start, i).trim())
      start = i + 2
    }
  }
  required.push(expression.slice(start).trim())
  return required.some((part) => {
    const event = part.match(/^github\.event_name ?== ?'([\w-]+)'$/)?.[1]
    return (
      (event !== undefined && !event.startsWith('pull_request')) ||
      (refTellsPullRequestsApart && /^github\.ref ?== ?'refs\/(heads|tags)\//.test(part))
    )
  })
}

function checkJobs(file: string, workflow: Yaml) {
  if (!isMap(workflow.permissions) || Object.keys(workflow.permissions).length > 0) {
    report(file, 'top-level permissions must be {} (grant per job)')
  }
  if (workflow.concurrency === undefined) report(file, 'no concurrency group')
  const events = triggers(workflow)
  const onPullRequests = events.some((event) => event.startsWith('pull_request'))
  const refTellsPullRequestsApart = !events.includes('pull_request_target')
  for (const [name, job] of Object.entries<Yaml>(workflow.jobs ?? {})) {
    const where = `${file} job ${name}`
    if (job.uses) continue // a reusable workflow call: its own jobs carry these settings
    if (job['timeout-minutes'] === undefined) report(where, 'no timeout-minutes')
    if (job.permissions === undefined) report(where, 'no job-level permissions')
    else if (!isMap(job.permissions)) report(where, 'job permissions must name each scope (not read-all or write-all)')
    const steps: Yaml[] = job.steps ?? []
    const awsLogins = steps.filter((step) =>
      String(step.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'),
    )
    const usesOidc = awsLogins.length > 0
    if (job.permissions?.['id-token'] === 'write' && !usesOidc) {
      report(where, 'id-token: write without an OIDC login step')
    }
    if (usesOidc && job.permissions?.['id-token'] !== 'write') {
      report(where, 'configure-aws-credentials without id-token: write')
    }
    // The plan role reads configuration and state and writes nothing, not even the state's lock file.
    const assumesPlanRole = (step: Yaml) => String(step.with?.['role-to-assume'] ?? '').includes('AWS_PLAN_ROLE_ARN')
    // A pull request's code runs in its job: only the plan role trusts pull requests, so no other job that can run
    // for one may mint an OIDC token (terraform/modules/github-oidc).
    if (
      onPullRequests &&
      job.permissions?.['id-token'] === 'write' &&
      !excludesPullRequests(job.if, refTellsPullRequestsApart) &&
      !(usesOidc && awsLogins.every(assumesPlanRole))
    ) {
      report(
        where,
        'id-token: write in a job that can run for pull requests: only the plan role (AWS_PLAN_ROLE_ARN) trusts them; ' +
          "split the job, or exclude pull requests in its if: (github.event_name == '<event>')",
      )
    }
    if (steps.some(assumesPlanRole) && !/(^|\s)-lock=false(\s|$)/.test(String(job.env?.TF_CLI_ARGS_plan ?? ''))) {
      report(
        where,
        'plans with the read-only plan role need TF_CLI_ARGS_plan: -lock=false (it may not write the lock file)',
      )
    }
  }
}

/** Each `run:` script through shellcheck, with `${{ ... }}` expressions blanked out as actionlint does. */
function checkRunScripts(where: string, steps: Yaml[]) {
  steps.forEach((step: Yaml, index: number) => {
    if (typeof step.run !== 'string') return
    const script = step.run.replace(/\$\{\{.*?\}\}/g, (expression: string) => '_'.repeat(expression.length))
    const shellcheck = Bun.spawnSync(['shellcheck', '--shell=bash', '--format=gcc', '-'], {
      stdin: new TextEncoder().encode(script),
    })
    if (shellcheck.exitCode !== 0) {
      const label = step.name ?? step.id ?? `step ${index + 1}`
      report(`${where} (${label})`, `shellcheck:\n${shellcheck.stdout.toString().trimEnd()}`)
    }
  })
}

/** Steps that call a local action give only inputs it declares, and every input it requires (actionlint's
 * WebAssembly build cannot read the action's file to check this). */
function checkLocalActionCalls(file: string, workflow: Yaml) {
  for (const [name, job] of Object.entries<Yaml>(workflow.jobs ?? {})) {
    for (const step of job.steps ?? []) {
      const path = String(step.uses ?? '').match(/^\.\/(.+)$/)?.[1]
      if (!path) continue
      const actionFile = ['action.yml', 'action.yaml'].map((base) => join(path, base)).find(existsSync)
      if (!actionFile) {
        report(`${file} job ${name}`, `${step.uses} has no action.yml`)
        continue
      }
      const action: Yaml = Bun.YAML.parse(readFileSync(actionFile, 'utf8'))
      const inputs: Record<string, Yaml> = action.inputs ?? {}
      const given = Object.keys(step.with ?? {})
      for (const input of given.filter((key) => !(key in inputs))) {
        report(`${file} job ${name}`, `${step.uses} has no input ${input}`)
      }
      for (const [input, spec] of Object.entries(inputs)) {
        if (spec?.required && spec.default === undefined && !given.includes(input)) {
          report(`${file} job ${name}`, `${step.uses} needs the input ${input}`)
        }
      }
    }
  }
}

/** A local composite action (.github/actions/<name>/action.yml): its steps follow the workflows' rules. */
function checkLocalAction(file: string, action: Yaml) {
  if (action.runs?.using !== 'composite') return
  const steps: Yaml[] = action.runs.steps ?? []
  steps.forEach((step, index) => {
    if (typeof step.run === 'string' && step.shell === undefined) {
      report(
        `${file} (${step.name ?? step.id ?? `step ${index + 1}`})`,
        'a run step of a composite action needs shell:',
      )
    }
  })
  checkRunScripts(file, steps)
}

function checkDependabot() {
  const file = '.github/dependabot.yml'
  const config: Yaml = Bun.YAML.parse(readFileSync(file, 'utf8'))
  for (const update of config.updates ?? []) {
    const directories: string[] = update.directories ?? [update.directory]
    for (const directory of directories) {
      if (directory.includes('*')) continue
      if (!existsSync(join('.', directory))) {
        report(file, `${update['package-ecosystem']} watches ${directory}, which does not exist`)
      }
    }
  }
}

const workflowFiles = readdirSync(workflowsDir).filter((name) => /\.ya?ml$/.test(name))
for (const name of workflowFiles) {
  const file = join(workflowsDir, name)
  const text = readFileSync(file, 'utf8')
  checkUsesLines(file, text)
  const workflow: Yaml = Bun.YAML.parse(text)
  checkJobs(file, workflow)
  checkLocalActionCalls(file, workflow)
  for (const [job, { steps }] of Object.entries<Yaml>(workflow.jobs ?? {}))
    checkRunScripts(`${file} job ${job}`, steps ?? [])
}
const actionFiles = existsSync(actionsDir)
  ? readdirSync(actionsDir)
      .map((name) => ['action.yml', 'action.yaml'].map((base) => join(actionsDir, name, base)).find(existsSync))
      .filter((file): file is string => file !== undefined)
  : []
for (const file of actionFiles) {
  const text = readFileSync(file, 'utf8')
  checkUsesLines(file, text)
  checkLocalAction(file, Bun.YAML.parse(text))
}
checkDependabot()

if (problems.length > 0) {
  console.error(problems.join('\n'))
  console.error(`workflow policy: ${problems.length} problem(s)`)
  process.exit(1)
}
console.log(
  `workflow policy: ${workflowFiles.length} workflows, ${actionFiles.length} local actions and dependabot.yml clean`,
)
