import { afterEach, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// The policy as CI runs it: a process in a repository root, here a temporary one holding one workflow.

const POLICY = join(import.meta.dir, '..', 'policy.ts')
const CHECKOUT = 'actions/checkout@8e8c483db84b4bee98b60c0593521ed34d9990e8 # v6.0.1'
const AWS_LOGIN = 'aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1'

let root: string | undefined

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true })
  root = undefined
})

function runPolicy(workflow: string, dependabot = 'version: 2\nupdates: []\n') {
  root = mkdtempSync(join(tmpdir(), 'workflow-policy-'))
  mkdirSync(join(root, '.github', 'workflows'), { recursive: true })
  writeFileSync(join(root, '.github', 'workflows', 'example.yml'), workflow)
  writeFileSync(join(root, '.github', 'dependabot.yml'), dependabot)
  const run = Bun.spawnSync(['bun', POLICY], { cwd: root, stdout: 'pipe', stderr: 'pipe' })
  return { exitCode: run.exitCode, output: `${run.stdout}${run.stderr}` }
}

const workflow = (job: string, top = `permissions: {}\nconcurrency: example-\${{ github.ref }}\n`) =>
  `name: example\non: push\n${top}jobs:\n  build:\n${job}`

const GOOD_JOB = `    runs-on: ubuntu-24.04
    timeout-minutes: 5
    permissions:
      contents: read
    steps:
      - uses: ${CHECKOUT}
      - run: echo "hello"
`

describe('workflow policy', () => {
  test('a workflow that follows every rule passes', () => {
    const { exitCode, output } = runPolicy(workflow(GOOD_JOB))
    expect(output).toContain('1 workflows and dependabot.yml clean')
    expect(exitCode).toBe(0)
  })

  const violations: [string, string, string][] = [
    ['an action pinned to a tag', workflow(GOOD_JOB.replace(CHECKOUT, 'actions/checkout@v6')), 'not pinned'],
    ['no top-level permissions', workflow(GOOD_JOB, 'concurrency: example\n'), 'no top-level permissions'],
    ['no concurrency group', workflow(GOOD_JOB, 'permissions: {}\n'), 'no concurrency group'],
    ['a job without a timeout', workflow(GOOD_JOB.replace('    timeout-minutes: 5\n', '')), 'no timeout-minutes'],
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

  test('refuses Dependabot watching a directory that does not exist', () => {
    const dependabot = 'version: 2\nupdates:\n  - package-ecosystem: bun\n    directories: ["/gone"]\n'
    const { exitCode, output } = runPolicy(workflow(GOOD_JOB), dependabot)
    expect(output).toContain('bun watches /gone, which does not exist')
    expect(exitCode).toBe(1)
  })
})
