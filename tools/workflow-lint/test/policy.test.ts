import { afterEach, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

// The policy as CI runs it: a process in a repository root, here a temporary one holding one workflow (and the
// local actions a test gives).

const POLICY = join(import.meta.dir, '..', 'policy.ts')
const CHECKOUT = 'actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1'
const AWS_LOGIN = 'aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1'
const NO_UPDATES = 'version: 2\nupdates: []\n'

let root: string | undefined

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true })
  root = undefined
})

function runPolicy(workflow: string, dependabot = NO_UPDATES, files: Record<string, string> = {}) {
  root = mkdtempSync(join(tmpdir(), 'workflow-policy-'))
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true })
  writeFileSync(join(root, '.github', 'workflows', 'example.yml'), workflow)
  writeFileSync(join(root, '.github', 'dependabot.yml'), dependabot)
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  const run = Bun.spawnSync(['bun', POLICY], { cwd: root, stdout: 'pipe', stderr: 'pipe' })
  return { exitCode: run.exitCode, output: `${run.stdout}${run.stderr}` }
}

const TOP = `permissions: {}\nconcurrency: example-\${{ github.ref }}\n`
const ON_PULL_REQUESTS = '[push, pull_request]'

const workflow = (job: string, top = TOP, on = 'push') => `name: example\non: ${on}\n${top}jobs:\n  build:\n${job}`

const GOOD_JOB = `    runs-on: ubuntu-24.04
    timeout-minutes: 5
    permissions:
      contents: read
    steps:
      - uses: ${CHECKOUT}
      - run: echo "hello"
`

/** A job that logs in to AWS with the roles of these repository variables, run only if `condition` when given. */
const awsJob = (roleVariables: string[], condition?: string) =>
  `${condition ? `    if: ${condition}\n` : ''}${GOOD_JOB.replace('contents: read', 'id-token: write')}` +
  roleVariables
    .map((role) => `      - uses: ${AWS_LOGIN}\n        with:\n          role-to-assume: \${{ vars.${role} }}\n`)
    .join('') +
  '    env:\n      TF_CLI_ARGS_plan: -lock=false\n'

const LOCAL_ACTION = '.github/actions/example/action.yml'
const localAction = (steps: string) =>
  `name: example\ndescription: example\nruns:\n  using: composite\n  steps:\n${steps}`
const GOOD_ACTION = localAction(`    - uses: ${CHECKOUT}\n    - run: echo "hello"\n      shell: bash\n`).replace(
  'runs:',
  'inputs:\n  name:\n    description: a name\n    required: true\nruns:',
)

describe('workflow policy', () => {
  test('a workflow that follows every rule passes', () => {
    const { exitCode, output } = runPolicy(workflow(GOOD_JOB))
    expect(output).toContain('1 workflows, 0 local actions and dependabot.yml clean')
    expect(exitCode).toBe(0)
  })

  const violations: [string, string, string][] = [
    ['an action pinned to a tag', workflow(GOOD_JOB.replace(CHECKOUT, 'actions/checkout@v6')), 'not pinned'],
    ['no top-level permissions', workflow(GOOD_JOB, 'concurrency: example\n'), 'top-level permissions must be {}'],
    [
      'top-level permissions: write-all',
      workflow(GOOD_JOB, 'permissions: write-all\nconcurrency: example\n'),
      'top-level permissions must be {}',
    ],
    [
      'top-level permissions: read-all',
      workflow(GOOD_JOB, 'permissions: read-all\nconcurrency: example\n'),
      'top-level permissions must be {}',
    ],
    [
      'top-level permissions that grant a scope',
      workflow(GOOD_JOB, 'permissions:\n  contents: read\nconcurrency: example\n'),
      'top-level permissions must be {}',
    ],
    ['no concurrency group', workflow(GOOD_JOB, 'permissions: {}\n'), 'no concurrency group'],
    ['a job without a timeout', workflow(GOOD_JOB.replace('    timeout-minutes: 5\n', '')), 'no timeout-minutes'],
    [
      'job permissions: write-all',
      workflow(GOOD_JOB.replace('permissions:\n      contents: read', 'permissions: write-all')),
      'job permissions must name each scope',
    ],
    [
      'id-token: write without an AWS login',
      workflow(GOOD_JOB.replace('contents: read', 'id-token: write')),
      'id-token: write without an OIDC login step',
    ],
    [
      'an AWS login without id-token: write',
      workflow(`${GOOD_JOB}      - uses: ${AWS_LOGIN}\n        with:\n          role-to-assume: arn\n`),
      'configure-aws-credentials without id-token: write',
    ],
    [
      'the plan role without -lock=false',
      workflow(
        `${GOOD_JOB.replace('contents: read', 'id-token: write')}      - uses: ${AWS_LOGIN}\n` +
          `        with:\n          role-to-assume: \${{ vars.AWS_PLAN_ROLE_ARN }}\n`,
      ),
      'TF_CLI_ARGS_plan: -lock=false',
    ],
    [
      'id-token: write for another role in a job that runs for pull requests',
      workflow(awsJob(['AWS_ECR_PUSH_ROLE_ARN']), TOP, ON_PULL_REQUESTS),
      'id-token: write in a job that can run for pull requests',
    ],
    [
      'id-token: write for another role in a job that runs for pull_request_target',
      workflow(awsJob(['AWS_ECR_PUSH_ROLE_ARN']), TOP, 'pull_request_target'),
      'id-token: write in a job that can run for pull requests',
    ],
    [
      "id-token: write in a pull_request_target job on main only (its ref is the base branch's, refs/heads/main)",
      workflow(awsJob(['AWS_ECR_PUSH_ROLE_ARN'], "github.ref == 'refs/heads/main'"), TOP, 'pull_request_target'),
      'id-token: write in a job that can run for pull requests',
    ],
    [
      'id-token: write in a pull request workflow job whose if: admits pull requests too (||)',
      workflow(
        awsJob(['AWS_ECR_PUSH_ROLE_ARN'], "github.event_name == 'push' || github.event_name == 'pull_request'"),
        TOP,
        ON_PULL_REQUESTS,
      ),
      'id-token: write in a job that can run for pull requests',
    ],
    [
      'id-token: write in a pull request job that assumes the plan role and another one',
      workflow(awsJob(['AWS_PLAN_ROLE_ARN', 'AWS_ECR_PUSH_ROLE_ARN']), TOP, ON_PULL_REQUESTS),
      'id-token: write in a job that can run for pull requests',
    ],
    ['long-lived AWS keys', workflow(`${GOOD_JOB}        env:\n          AWS_SECRET_ACCESS_KEY: x\n`), 'long-lived'],
    ['a run script shellcheck refuses', workflow(GOOD_JOB.replace('echo "hello"', 'echo $UNQUOTED')), 'shellcheck'],
  ]

  for (const [what, text, message] of violations) {
    test(`refuses ${what}`, () => {
      const { exitCode, output } = runPolicy(text)
      expect(output).toContain(message)
      expect(exitCode).toBe(1)
    })
  }

  const allowed: [string, string][] = [
    [
      'id-token: write in a job that runs for pull requests and assumes the plan role only',
      workflow(awsJob(['AWS_PLAN_ROLE_ARN']), TOP, ON_PULL_REQUESTS),
    ],
    [
      "id-token: write in a pull request workflow's job that runs for pushes only (if: event_name == 'push' && ...)",
      workflow(
        awsJob(['AWS_ECR_PUSH_ROLE_ARN'], `\${{ github.event_name == 'push' && (github.ref_name != '' || true) }}`),
        TOP,
        ON_PULL_REQUESTS,
      ),
    ],
    [
      "id-token: write in a pull request workflow's job that runs on main only (if: github.ref == 'refs/heads/main')",
      workflow(awsJob(['AWS_ECR_PUSH_ROLE_ARN'], "github.ref == 'refs/heads/main'"), TOP, ON_PULL_REQUESTS),
    ],
  ]

  for (const [what, text] of allowed) {
    test(`allows ${what}`, () => {
      const { exitCode, output } = runPolicy(text)
      expect(output).toContain('1 workflows, 0 local actions and dependabot.yml clean')
      expect(exitCode).toBe(0)
    })
  }

  test('a local composite action that follows every rule passes, and a call of it', () => {
    const call = workflow(`${GOOD_JOB}      - uses: ./.github/actions/example\n        with:\n          name: x\n`)
    const { exitCode, output } = runPolicy(call, NO_UPDATES, { [LOCAL_ACTION]: GOOD_ACTION })
    expect(output).toContain('1 workflows, 1 local actions and dependabot.yml clean')
    expect(exitCode).toBe(0)
  })

  const actionViolations: [string, string, string][] = [
    ['an action pinned to a tag in a local action', localAction('    - uses: actions/checkout@v6\n'), 'not pinned'],
    ['a run step without shell: in a local action', localAction('    - run: echo "hello"\n'), 'needs shell:'],
    [
      'a run script of a local action shellcheck refuses',
      localAction('    - run: echo $UNQUOTED\n      shell: bash\n'),
      'shellcheck',
    ],
  ]

  for (const [what, action, message] of actionViolations) {
    test(`refuses ${what}`, () => {
      const { exitCode, output } = runPolicy(workflow(GOOD_JOB), NO_UPDATES, { [LOCAL_ACTION]: action })
      expect(output).toContain(message)
      expect(output).toContain(LOCAL_ACTION)
      expect(exitCode).toBe(1)
    })
  }

  test('refuses a call of a local action with an input it does not declare, or without one it requires', () => {
    const call = workflow(`${GOOD_JOB}      - uses: ./.github/actions/example\n        with:\n          nmae: x\n`)
    const { exitCode, output } = runPolicy(call, NO_UPDATES, { [LOCAL_ACTION]: GOOD_ACTION })
    expect(output).toContain('./.github/actions/example has no input nmae')
    expect(output).toContain('./.github/actions/example needs the input name')
    expect(exitCode).toBe(1)
  })

  test('refuses Dependabot watching a directory that does not exist', () => {
    const dependabot = 'version: 2\nupdates:\n  - package-ecosystem: bun\n    directories: ["/gone"]\n'
    const { exitCode, output } = runPolicy(workflow(GOOD_JOB), dependabot)
    expect(output).toContain('bun watches /gone, which does not exist')
    expect(exitCode).toBe(1)
  })
})
