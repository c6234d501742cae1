// A run that stops before the end: what it cleans up, what it says runs where, and the exit code it returns.
import { AwsCallError, exitCodes, Failed, Interrupted, Refused } from './errors'
import { RefreshFailed, refreshCommandsByHand, refreshFailureReport } from './instance-refresh'
import { deleteCreatedVersion } from './launch-template-version'
import { recordWhatRunsNow } from './recorded-tags'
import type { ReleaseRun } from './release-run'

/** Cleans up what a failed or interrupted run left, prints why it stopped and what runs, returns the exit code. */
export async function stoppedEarly(run: ReleaseRun, error: unknown): Promise<number> {
  if (error instanceof Interrupted) {
    for (const line of await interruptReport(run)) run.out.error(line)
    return exitCodes.interrupted
  }
  if (error instanceof Refused) {
    run.out.error(`error: ${error.message}`)
    return exitCodes.refused
  }
  const message = error instanceof Failed || error instanceof AwsCallError ? error.message : String(error)
  if (!run.progress.changed) {
    run.out.error(`error: ${message} (nothing was changed)`)
    return exitCodes.refused
  }
  const lines = error instanceof RefreshFailed ? refreshFailureReport(run, error) : [`error: ${message}`]
  const { refresh } = run.progress
  // A refresh still running (the tool lost track of it) uses the version: it stays.
  if (refresh) lines.push(...refreshCommandsByHand(run, refresh))
  else lines.push(...(await deleteCreatedVersion(run)))
  if (error instanceof RefreshFailed) {
    for (const released of run.progress.released) {
      lines.push(`${released.service} was released before and runs ${released.targetTag}.`)
    }
    const pending = run.plans.slice(run.plans.indexOf(error.plan) + 1).filter((next) => next.action !== 'none')
    for (const next of pending) lines.push(`${next.service} was not released: it still runs ${next.currentTag}.`)
  }
  lines.push(...(await recordWhatRunsNow(run)))
  if (error instanceof RefreshFailed) {
    const back = run.plans.map((each) => `${each.service.toUpperCase()}=${each.currentTag}`).join(' ')
    lines.push(`To run what ran before everywhere: make release ENV=${run.stage} ${back}`)
  }
  for (const line of lines) run.out.error(line)
  return exitCodes.failed
}

async function interruptReport(run: ReleaseRun): Promise<string[]> {
  const { refresh, released, changed } = run.progress
  if (!changed) return ['Interrupted before any change: nothing was changed.']
  const lines: string[] = []
  if (refresh) {
    lines.push(
      `Interrupted. The instance refresh of ${refresh.plan.names.group} (${refresh.id}) goes on in AWS; ` +
        'this tool stopped following it.',
      ...refreshCommandsByHand(run, refresh),
    )
  } else {
    lines.push('Interrupted.')
  }
  for (const plan of released) lines.push(`${plan.service} was released and runs ${plan.targetTag}.`)
  // A version no refresh has started with is deleted; one a running refresh rolls out stays.
  if (!refresh) lines.push(...(await deleteCreatedVersion(run)))
  const notStarted = run.plans.filter(
    (plan) => plan.action !== 'none' && !released.includes(plan) && plan !== refresh?.plan,
  )
  for (const plan of notStarted) lines.push(`${plan.service} was not released: it runs ${plan.currentTag}.`)
  lines.push(
    `The tags are not recorded. Once ${refresh ? `${refresh.plan.service}'s refresh has succeeded` : 'you are ready'}, ` +
      'run the same release again: it skips what already runs the new tag and records the tags.',
  )
  return lines
}
