// The repository's rules for GitHub Actions, which actionlint does not know: pinned actions, least privilege,
// bounded jobs, no AWS keys, lock-free plans with the read-only plan role; shellcheck over every `run:` script;
// Dependabot watching directories that exist.
// Usage: bun tools/workflow-lint/policy.ts   (from the repository root; exits 1 on any violation)
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML is untyped
type Yaml = any

const workflowsDir = '.github/workflows'
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

function checkJobs(file: string, workflow: Yaml) {
  if (workflow.permissions === undefined) report(file, 'no top-level permissions (use {} and grant per job)')
  if (workflow.concurrency === undefined) report(file, 'no concurrency group')
  for (const [name, job] of Object.entries<Yaml>(workflow.jobs ?? {})) {
    const where = `${file} job ${name}`
    if (job.uses) continue // a reusable workflow call: its own jobs carry these settings
    if (job['timeout-minutes'] === undefined) report(where, 'no timeout-minutes')
    if (job.permissions === undefined) report(where, 'no job-level permissions')
    const steps: Yaml[] = job.steps ?? []
    const usesOidc = steps.some((step) => String(step.uses ?? '').startsWith('aws-actions/configure-aws-credentials@'))
    if (job.permissions?.['id-token'] === 'write' && !usesOidc) {
      report(where, 'id-token: write without an OIDC login step')
    }
    if (usesOidc && job.permissions?.['id-token'] !== 'write') {
      report(where, 'configure-aws-credentials without id-token: write')
    }
    // The plan role reads configuration and state and writes nothing, not even the state's lock file.
    const assumesPlanRole = steps.some((step) =>
      String(step.with?.['role-to-assume'] ?? '').includes('AWS_PLAN_ROLE_ARN'),
    )
    if (assumesPlanRole && !/(^|\s)-lock=false(\s|$)/.test(String(job.env?.TF_CLI_ARGS_plan ?? ''))) {
      report(
        where,
        'plans with the read-only plan role need TF_CLI_ARGS_plan: -lock=false (it may not write the lock file)',
      )
    }
  }
}

/** Each `run:` script through shellcheck, with `${{ ... }}` expressions blanked out as actionlint does. */
function checkRunScripts(file: string, workflow: Yaml) {
  for (const [name, job] of Object.entries<Yaml>(workflow.jobs ?? {})) {
    ;(job.steps ?? []).forEach((step: Yaml, index: number) => {
      if (typeof step.run !== 'string') return
      const script = step.run.replace(/\$\{\{.*?\}\}/g, (expression: string) => '_'.repeat(expression.length))
      const shellcheck = Bun.spawnSync(['shellcheck', '--shell=bash', '--format=gcc', '-'], {
        stdin: new TextEncoder().encode(script),
      })
      if (shellcheck.exitCode !== 0) {
        const label = step.name ?? step.id ?? `step ${index + 1}`
        report(`${file} job ${name} (${label})`, `shellcheck:\n${shellcheck.stdout.toString().trimEnd()}`)
      }
    })
  }
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
  const workflow = Bun.YAML.parse(text)
  checkJobs(file, workflow)
  checkRunScripts(file, workflow)
}
checkDependabot()

if (problems.length > 0) {
  console.error(problems.join('\n'))
  console.error(`workflow policy: ${problems.length} problem(s)`)
  process.exit(1)
}
console.log(`workflow policy: ${workflowFiles.length} workflows and dependabot.yml clean`)
