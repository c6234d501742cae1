import { describe, expect, test } from 'bun:test'
import { type ReleaseOptions, release, rollback, type Tags } from '../src/release'
import {
  cloudConfig,
  FakeStage,
  type FakeStageOptions,
  mutating,
  registry,
  type Step,
  sentUserData,
  sha,
  terraformVersion,
} from './fake-aws'

const old: Tags = { app1: sha('1'), app2: sha('2') }
const next: Tags = { app1: sha('a'), app2: sha('b') }

function stage(options: Partial<FakeStageOptions> = {}): FakeStage {
  return new FakeStage({
    running: old,
    pushed: Object.values(next),
    recorded: { app1: [old.app1], app2: [old.app2] },
    ...options,
  })
}

function options(fake: FakeStage, extra: Partial<ReleaseOptions> = {}) {
  const out: string[] = []
  const err: string[] = []
  let clock = 0
  const opts: ReleaseOptions = {
    clients: fake.clients(),
    region: 'eu-west-1',
    stage: 'dev',
    output: { info: (line) => out.push(line), error: (line) => err.push(line) },
    pollIntervalMs: 15_000,
    // Each look at a refresh happens 15 s after the previous one, without waiting.
    sleep: async (ms) => {
      clock += ms
    },
    now: () => clock,
    ...extra,
  }
  return { opts, out, err, text: () => out.join('\n'), errors: () => err.join('\n') }
}

describe('a release', () => {
  test('releases app2, then app1, with auto-rollback refreshes to the new numbered versions, then records the tags', async () => {
    const fake = stage()
    const { opts, text } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(0)

    expect(fake.operations()).toEqual([
      'DescribeImages', // app2
      'DescribeImages', // app1
      'DescribeAutoScalingGroups',
      'DescribeInstanceRefreshes', // app2: none running
      'DescribeInstanceRefreshes', // app1: none running
      'GetParameters',
      'DescribeLaunchTemplateVersions', // app2 version 7
      'DescribeLaunchTemplateVersions', // app1 version 12
      'CreateLaunchTemplateVersion', // app2 version 8
      'StartInstanceRefresh',
      'DescribeInstanceRefreshes',
      'DescribeInstanceRefreshes',
      'DescribeInstanceRefreshes',
      'CreateLaunchTemplateVersion', // app1 version 13
      'StartInstanceRefresh',
      'DescribeInstanceRefreshes',
      'DescribeInstanceRefreshes',
      'DescribeInstanceRefreshes',
      'PutParameter',
      'PutParameter',
    ])

    expect(fake.sent('DescribeImages')).toEqual([
      { repositoryName: 'relay/app2', imageIds: [{ imageTag: next.app2 }] },
      { repositoryName: 'relay/app1', imageIds: [{ imageTag: next.app1 }] },
    ])

    const [app2Version, app1Version] = fake.sent('CreateLaunchTemplateVersion')
    expect(app2Version).toEqual({
      LaunchTemplateId: 'lt-0app2000000000000',
      SourceVersion: '7',
      VersionDescription: `app2 ${next.app2}`,
      ClientToken: expect.any(String),
      LaunchTemplateData: { UserData: expect.any(String) },
    })
    expect(app1Version).toMatchObject({ LaunchTemplateId: 'lt-0app1000000000000', SourceVersion: '12' })
    // Only the image changes: the new user data is the rendering for the new tag, byte for byte.
    expect(sentUserData(app2Version)).toBe(cloudConfig('app2', next.app2))
    expect(sentUserData(app1Version)).toBe(cloudConfig('app1', next.app1))
    // What Terraform renders for the released tag, description included: its next plan shows no change.
    expect(fake.versions('app2').get(8)).toEqual(terraformVersion('app2', next.app2))
    expect(fake.versions('app1').get(13)).toEqual(terraformVersion('app1', next.app1))

    expect(fake.sent('StartInstanceRefresh')).toEqual([
      {
        AutoScalingGroupName: 'relay-dev-app2',
        Strategy: 'Rolling',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0app2000000000000', Version: '8' } },
        Preferences: {
          MinHealthyPercentage: 100,
          MaxHealthyPercentage: 200,
          InstanceWarmup: 120, // the group's DefaultInstanceWarmup
          SkipMatching: true,
          AutoRollback: true,
          AlarmSpecification: { Alarms: ['relay-dev-app2-rollout-5xx'] },
        },
      },
      {
        AutoScalingGroupName: 'relay-dev-app1',
        Strategy: 'Rolling',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0app1000000000000', Version: '13' } },
        Preferences: {
          MinHealthyPercentage: 100,
          MaxHealthyPercentage: 200,
          InstanceWarmup: 300, // no DefaultInstanceWarmup: the group's HealthCheckGracePeriod
          SkipMatching: true,
          AutoRollback: true,
          AlarmSpecification: { Alarms: ['relay-dev-app1-rollout-5xx'] },
        },
      },
    ])

    expect(fake.sent('PutParameter')).toEqual([
      { Name: '/relay/dev/app2/image-tag', Value: next.app2, Type: 'String', Overwrite: true },
      { Name: '/relay/dev/app1/image-tag', Value: next.app1, Type: 'String', Overwrite: true },
    ])
    expect(fake.runs('app1')).toBe(next.app1)
    expect(fake.runs('app2')).toBe(next.app2)

    const output = text()
    // What runs now is on screen before anything changes, ready to be released back.
    expect(output).toContain(`app2  now  ${old.app2}  (relay-dev-app2, launch template version 7)`)
    expect(output).toContain(`next ${next.app2}`)
    expect(output).toContain(`To go back to what runs now: make release ENV=dev APP2=${old.app2} APP1=${old.app1}`)
    expect(output).toContain('  app2: Pending 0%, 2 instance(s) left, 0m15s')
    expect(output).toContain('  app2: InProgress 50%, 1 instance(s) left, 0m30s')
    expect(output).toContain('  app1: Successful 100%, 0 instance(s) left, 0m45s')
    expect(output).toContain(`Released to dev: app2 ${next.app2}, app1 ${next.app1}.`)
    expect(output.indexOf('now  ')).toBeLessThan(output.indexOf('new version of launch template'))
  })

  test("builds the new version from the latest one, so that Terraform's launch template changes roll out with it", async () => {
    const fake = stage()
    // terraform apply made version 8 with a new AMI; the group still runs version 7.
    fake.terraformApplies('app2', old.app2, 'ami-0bbbbbbbbbbbbbbbb')
    const { opts, text } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(0)

    expect(fake.sent('DescribeLaunchTemplateVersions')[0]).toEqual({
      LaunchTemplateId: 'lt-0app2000000000000',
      Versions: ['7', '$Latest'],
    })
    const [app2Version] = fake.sent('CreateLaunchTemplateVersion')
    expect(app2Version).toMatchObject({ SourceVersion: '8', VersionDescription: `app2 ${next.app2}` })
    expect(sentUserData(app2Version)).toBe(cloudConfig('app2', next.app2))
    expect(fake.sent('StartInstanceRefresh')[0]).toMatchObject({
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0app2000000000000', Version: '9' } },
    })
    // Version 9 is Terraform's configuration with the new image: the new AMI runs, and the next plan is clean.
    expect(fake.versions('app2').get(9)).toEqual({
      ...terraformVersion('app2', next.app2),
      imageId: 'ami-0bbbbbbbbbbbbbbbb',
    })
    expect(fake.runs('app2')).toBe(next.app2)
    expect(text()).toContain(
      `app2  now  ${old.app2}  (relay-dev-app2, launch template version 7; launch template version 8, the latest, is not rolled out yet)`,
    )
    expect(text()).toContain(`next ${next.app2} (a new launch template version from version 8, the latest)`)
  })

  test('rolls out a latest version that carries the tag already, without a new version: how a launch template change from Terraform reaches the instances', async () => {
    const fake = stage()
    fake.terraformApplies('app2', old.app2, 'ami-0bbbbbbbbbbbbbbbb')
    const { opts, text } = options(fake)

    expect(await release({ ...opts, tags: old })).toBe(0)

    expect(fake.sent('CreateLaunchTemplateVersion')).toEqual([])
    expect(fake.sent('StartInstanceRefresh')).toEqual([
      expect.objectContaining({
        AutoScalingGroupName: 'relay-dev-app2',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0app2000000000000', Version: '8' } },
        Preferences: expect.objectContaining({ AutoRollback: true }),
      }),
    ])
    expect(fake.groups.get('app2')?.LaunchTemplate?.Version).toBe('8')
    expect(text()).toContain(
      `app2: launch template version 8 already carries ${old.app2}; rolling it out (it holds the launch template changes made since version 7, the one the group runs)`,
    )
    expect(text()).toContain(`app1: already runs ${old.app1} on every instance; nothing to do`)
    expect(fake.sent('PutParameter').map((input) => input.Value)).toEqual([old.app2, old.app1])
  })

  test('a failed rollout of a launch template change from Terraform deletes nothing', async () => {
    const fake = stage({
      refreshes: { app2: [{ Status: 'RollbackSuccessful', StatusReason: 'Health checks failed.' }] },
    })
    fake.terraformApplies('app2', old.app2, 'ami-0bbbbbbbbbbbbbbbb')
    const { opts, errors } = options(fake)

    expect(await release({ ...opts, tags: old })).toBe(1)

    expect(fake.sent('DeleteLaunchTemplateVersions')).toEqual([])
    expect(fake.latest('app2')).toBe(8)
    expect(errors()).toContain('The recorded tags of dev are unchanged.')
  })

  test('asks AWS for a digest by digest and writes it as <repository>@sha256:...', async () => {
    const digest = `sha256:${'c'.repeat(64)}`
    const fake = stage({ pushed: [digest] })
    const { opts } = options(fake)

    expect(await release({ ...opts, tags: { app1: digest, app2: old.app2 } })).toBe(0)

    expect(fake.sent('DescribeImages')[1]).toEqual({
      repositoryName: 'relay/app1',
      imageIds: [{ imageDigest: digest }],
    })
    expect(sentUserData(fake.sent('CreateLaunchTemplateVersion')[0])).toContain(
      `IMAGE=${registry}/relay/app1@${digest}\\n`,
    )
  })

  test('makes every check before the first change', async () => {
    const fake = stage()
    const { opts } = options(fake)
    expect(await release({ ...opts, tags: next })).toBe(0)

    const operations = fake.operations()
    const firstChange = operations.findIndex((operation) => mutating.has(operation))
    const checks = ['DescribeImages', 'DescribeAutoScalingGroups', 'GetParameters', 'DescribeLaunchTemplateVersions']
    for (const check of checks) expect(operations.lastIndexOf(check)).toBeLessThan(firstChange)
    // Both groups were checked for a running refresh before the first change.
    const refreshChecks = fake.requests.slice(0, firstChange).filter((r) => r.operation === 'DescribeInstanceRefreshes')
    expect(refreshChecks.map((r) => r.input.AutoScalingGroupName)).toEqual(['relay-dev-app2', 'relay-dev-app1'])
  })

  test('stops before any change when an image is not in ECR, and names it', async () => {
    const fake = stage({ pushed: [next.app2] })
    const { opts, errors } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(2)

    expect(errors()).toBe(
      `error: app1: image relay/app1:${next.app1} is not in ECR (eu-west-1); push it first or check the tag`,
    )
    expect(fake.operations()).toEqual(['DescribeImages', 'DescribeImages'])
  })

  test('refuses while a refresh runs on either group, checking both, and changes nothing', async () => {
    const fake = stage()
    fake.refreshRunsOn('app1', 'RollbackInProgress')
    const { opts, errors } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(2)

    expect(errors()).toBe(
      'error: relay-dev-app1 has an instance refresh in progress (elsewhere-app1, RollbackInProgress, 40%): wait for ' +
        'it to end or cancel it with "aws autoscaling cancel-instance-refresh --auto-scaling-group-name relay-dev-app1 ' +
        '--region eu-west-1"',
    )
    expect(fake.sent('DescribeInstanceRefreshes').map((input) => input.AutoScalingGroupName)).toEqual([
      'relay-dev-app2',
      'relay-dev-app1',
    ])
    expect(fake.operations().some((operation) => mutating.has(operation))).toBe(false)
  })

  test('leaves a service alone that already runs the tag on every instance', async () => {
    const fake = stage()
    const { opts, text } = options(fake)

    expect(await release({ ...opts, tags: { app1: next.app1, app2: old.app2 } })).toBe(0)

    expect(fake.sent('CreateLaunchTemplateVersion').map((input) => input.SourceVersion)).toEqual(['12'])
    expect(fake.sent('StartInstanceRefresh').map((input) => input.AutoScalingGroupName)).toEqual(['relay-dev-app1'])
    expect(text()).toContain(`app2: already runs ${old.app2} on every instance; nothing to do`)
    // Both parameters get a version, so that a rollback finds both services' tags of the release before.
    expect(fake.sent('PutParameter').map((input) => input.Value)).toEqual([old.app2, next.app1])
  })

  test('replaces instances that run another version even when the tag is unchanged', async () => {
    const fake = stage()
    const stray = fake.groups.get('app2')?.Instances?.[0]
    if (stray?.LaunchTemplate) stray.LaunchTemplate.Version = '6'
    const { opts } = options(fake)

    expect(await release({ ...opts, tags: { app1: old.app1, app2: old.app2 } })).toBe(0)

    expect(fake.sent('CreateLaunchTemplateVersion')).toEqual([])
    expect(fake.sent('StartInstanceRefresh')).toEqual([
      expect.objectContaining({
        AutoScalingGroupName: 'relay-dev-app2',
        DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: 'lt-0app2000000000000', Version: '7' } },
      }),
    ])
  })

  test('changes nothing when the stage runs and records the tags already', async () => {
    const fake = stage()
    const { opts, text } = options(fake)

    expect(await release({ ...opts, tags: old })).toBe(0)

    expect(fake.operations().some((operation) => mutating.has(operation))).toBe(false)
    expect(text()).toContain('Nothing to release: dev already runs and records these tags.')
  })

  test('records tags that run but are not recorded (a release whose end was not followed)', async () => {
    const fake = stage({ recorded: { app1: [sha('9')], app2: [sha('8')] } })
    const { opts } = options(fake)

    expect(await release({ ...opts, tags: old })).toBe(0)

    expect(fake.operations().filter((operation) => mutating.has(operation))).toEqual(['PutParameter', 'PutParameter'])
  })

  test('--dry-run reads everything and prints the changes instead of sending them', async () => {
    const fake = stage()
    const { opts, text } = options(fake, { dryRun: true })

    expect(await release({ ...opts, tags: next })).toBe(0)

    expect(fake.operations()).toEqual([
      'DescribeImages',
      'DescribeImages',
      'DescribeAutoScalingGroups',
      'DescribeInstanceRefreshes',
      'DescribeInstanceRefreshes',
      'GetParameters',
      'DescribeLaunchTemplateVersions',
      'DescribeLaunchTemplateVersions',
    ])
    const printed = text()
      .split('\n')
      .filter((line) => line.includes('[dry run, not sent]'))
      .map((line) => line.replace(/"ClientToken":"[^"]+"/, '"ClientToken":"<uuid>"'))
    expect(printed).toEqual([
      `  [dry run, not sent] ec2 CreateLaunchTemplateVersion {"LaunchTemplateId":"lt-0app2000000000000","SourceVersion":"7","VersionDescription":"app2 ${next.app2}","ClientToken":"<uuid>","LaunchTemplateData":{"UserData":"<base64 of version 7's user data with IMAGE=${registry}/relay/app2:${next.app2}>"}}`,
      '  [dry run, not sent] autoscaling StartInstanceRefresh {"AutoScalingGroupName":"relay-dev-app2","Strategy":"Rolling","DesiredConfiguration":{"LaunchTemplate":{"LaunchTemplateId":"lt-0app2000000000000","Version":"<the version created above>"}},"Preferences":{"MinHealthyPercentage":100,"MaxHealthyPercentage":200,"InstanceWarmup":120,"SkipMatching":true,"AutoRollback":true,"AlarmSpecification":{"Alarms":["relay-dev-app2-rollout-5xx"]}}}',
      `  [dry run, not sent] ec2 CreateLaunchTemplateVersion {"LaunchTemplateId":"lt-0app1000000000000","SourceVersion":"12","VersionDescription":"app1 ${next.app1}","ClientToken":"<uuid>","LaunchTemplateData":{"UserData":"<base64 of version 12's user data with IMAGE=${registry}/relay/app1:${next.app1}>"}}`,
      '  [dry run, not sent] autoscaling StartInstanceRefresh {"AutoScalingGroupName":"relay-dev-app1","Strategy":"Rolling","DesiredConfiguration":{"LaunchTemplate":{"LaunchTemplateId":"lt-0app1000000000000","Version":"<the version created above>"}},"Preferences":{"MinHealthyPercentage":100,"MaxHealthyPercentage":200,"InstanceWarmup":300,"SkipMatching":true,"AutoRollback":true,"AlarmSpecification":{"Alarms":["relay-dev-app1-rollout-5xx"]}}}',
      `  [dry run, not sent] ssm PutParameter {"Name":"/relay/dev/app2/image-tag","Value":"${next.app2}","Type":"String","Overwrite":true}`,
      `  [dry run, not sent] ssm PutParameter {"Name":"/relay/dev/app1/image-tag","Value":"${next.app1}","Type":"String","Overwrite":true}`,
    ])
    expect(text()).toContain('Dry run: nothing was changed')
  })
})

describe('a release that does not succeed', () => {
  const ends: { status: Step['Status']; says: string }[] = [
    {
      status: 'RollbackSuccessful',
      says: `app2 was rolled back: every instance runs the previous version again, ${old.app2} (launch template version 7).`,
    },
    {
      status: 'Cancelled',
      says: `relay-dev-app2 keeps the previous version, ${old.app2} (launch template version 7); instances replaced before the refresh stopped run ${next.app2} (version 8) until they are replaced again.`,
    },
    {
      status: 'Failed',
      says: `relay-dev-app2 keeps the previous version, ${old.app2} (launch template version 7)`,
    },
    {
      status: 'RollbackFailed',
      says: `app2's rollback failed: its instances may run ${old.app2} or ${next.app2}. See "aws autoscaling describe-scaling-activities --auto-scaling-group-name relay-dev-app2 --region eu-west-1".`,
    },
  ]

  test.each(ends)(
    'app2 ending $status exits 1, says why and what runs, deletes its new version, releases no further, records nothing',
    async ({ status, says }) => {
      const reason = 'Alarm relay-dev-app2-rollout-5xx went into ALARM state.'
      const fake = stage({
        refreshes: {
          app2: [
            { Status: 'InProgress', PercentageComplete: 50, InstancesToUpdate: 1 },
            { Status: status, PercentageComplete: 50, StatusReason: reason },
          ],
        },
      })
      const { opts, errors } = options(fake)

      expect(await release({ ...opts, tags: next })).toBe(1)

      const message = errors()
      expect(message).toContain(`error: app2's instance refresh ended ${status}: ${reason}`)
      expect(message).toContain(says)
      expect(message).toContain(`app1 was not released: it still runs ${old.app1}.`)
      expect(message).toContain(
        "Deleted version 8 of launch template relay-dev-app2, which no group runs: version 7 is the latest again, so Terraform's next plan shows no change.",
      )
      expect(message).toEndWith(
        `The recorded tags of dev are unchanged.\nTo run what ran before everywhere: make release ENV=dev APP2=${old.app2} APP1=${old.app1}`,
      )
      expect(fake.sent('StartInstanceRefresh').map((input) => input.AutoScalingGroupName)).toEqual(['relay-dev-app2'])
      expect(fake.sent('PutParameter')).toEqual([])
      expect(fake.runs('app2')).toBe(old.app2)
      // The version is deleted only after the group was seen not to run it.
      expect(fake.operations().slice(-2)).toEqual(['DescribeAutoScalingGroups', 'DeleteLaunchTemplateVersions'])
      expect(fake.sent('DeleteLaunchTemplateVersions')).toEqual([
        { LaunchTemplateId: 'lt-0app2000000000000', Versions: ['8'] },
      ])
      // The latest version is what Terraform renders for the recorded tag again: its next plan is clean.
      expect(fake.latest('app2')).toBe(7)
      expect(fake.versions('app2').get(7)).toEqual(terraformVersion('app2', old.app2))
    },
  )

  test('app1 rolled back after app2 was released: says what runs where and records it', async () => {
    const fake = stage({
      refreshes: {
        app1: [
          { Status: 'InProgress', PercentageComplete: 0, InstancesToUpdate: 2 },
          {
            Status: 'RollbackInProgress',
            PercentageComplete: 0,
            InstancesToUpdate: 1,
            RollbackDetails: { PercentageCompleteOnRollback: 50, InstancesToUpdateOnRollback: 1 },
          },
          {
            Status: 'RollbackSuccessful',
            StatusReason: 'Health checks failed.',
            RollbackDetails: { PercentageCompleteOnRollback: 100, InstancesToUpdateOnRollback: 0 },
          },
        ],
      },
    })
    const { opts, errors, text } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(1)

    // Once the rollback runs, the progress line follows the rollback.
    expect(text()).toContain('  app1: RollbackInProgress 50%, 1 instance(s) left, 0m30s')
    expect(text()).toContain('  app1: RollbackSuccessful 100%, 0 instance(s) left, 0m45s')

    expect(errors().split('\n')).toEqual([
      "error: app1's instance refresh ended RollbackSuccessful: Health checks failed.",
      `app1 was rolled back: every instance runs the previous version again, ${old.app1} (launch template version 12).`,
      "Deleted version 13 of launch template relay-dev-app1, which no group runs: version 12 is the latest again, so Terraform's next plan shows no change.",
      `app2 was released before and runs ${next.app2}.`,
      `Recorded what runs now in /relay/dev/app2/image-tag and /relay/dev/app1/image-tag: app2 ${next.app2}, app1 ${old.app1}.`,
      `To run what ran before everywhere: make release ENV=dev APP2=${old.app2} APP1=${old.app1}`,
    ])
    expect(fake.runs('app2')).toBe(next.app2)
    expect(fake.runs('app1')).toBe(old.app1)
    // Both parameters record what runs, so that Terraform renders it (app2's latest version is the released one)...
    expect(fake.sent('PutParameter')).toEqual([
      { Name: '/relay/dev/app2/image-tag', Value: next.app2, Type: 'String', Overwrite: true },
      { Name: '/relay/dev/app1/image-tag', Value: old.app1, Type: 'String', Overwrite: true },
    ])
    expect(fake.versions('app2').get(fake.latest('app2'))).toEqual(terraformVersion('app2', next.app2))
    expect(fake.versions('app1').get(fake.latest('app1'))).toEqual(terraformVersion('app1', old.app1))

    // ...and a rollback still finds the tags of the release before in the versions before the last.
    const again = options(fake)
    expect(await rollback(again.opts)).toBe(0)
    expect(fake.runs('app2')).toBe(old.app2)
    expect(fake.runs('app1')).toBe(old.app1)
  })

  test('Ctrl-C while following: says the refresh goes on in AWS and how to follow or cancel it, exits 130', async () => {
    const fake = stage()
    const interrupt = new AbortController()
    const { opts, errors } = options(fake, { signal: interrupt.signal })
    const sleep = opts.sleep
    let looks = 0
    opts.sleep = async (ms) => {
      await sleep?.(ms)
      if (fake.sent('StartInstanceRefresh').length > 0 && ++looks === 2) interrupt.abort()
    }

    expect(await release({ ...opts, tags: next })).toBe(130)

    expect(errors().split('\n')).toEqual([
      'Interrupted. The instance refresh of relay-dev-app2 (00000001-refresh-app2) goes on in AWS; this tool stopped following it.',
      '  follow it:    aws autoscaling describe-instance-refreshes --auto-scaling-group-name relay-dev-app2 --instance-refresh-ids 00000001-refresh-app2 --region eu-west-1',
      '  cancel it:    aws autoscaling cancel-instance-refresh --auto-scaling-group-name relay-dev-app2 --region eu-west-1  (replaced instances keep the new image)',
      '  roll it back: aws autoscaling rollback-instance-refresh --auto-scaling-group-name relay-dev-app2 --region eu-west-1',
      `app1 was not released: it runs ${old.app1}.`,
      "The tags are not recorded. Once app2's refresh has succeeded, run the same release again: it skips what already runs the new tag and records the tags.",
    ])
    expect(fake.sent('StartInstanceRefresh')).toHaveLength(1)
    expect(fake.sent('PutParameter')).toEqual([])
  })

  test('Ctrl-C after the new version was created and before its refresh: deletes the version', async () => {
    const fake = stage()
    const interrupt = new AbortController()
    fake.overrides.set('CreateLaunchTemplateVersion', (input) => {
      interrupt.abort()
      return fake.CreateLaunchTemplateVersion(input as Parameters<FakeStage['CreateLaunchTemplateVersion']>[0])
    })
    const { opts, errors } = options(fake, { signal: interrupt.signal })

    expect(await release({ ...opts, tags: next })).toBe(130)

    expect(errors().split('\n')).toEqual([
      'Interrupted.',
      "Deleted version 8 of launch template relay-dev-app2, which no group runs: version 7 is the latest again, so Terraform's next plan shows no change.",
      `app2 was not released: it runs ${old.app2}.`,
      `app1 was not released: it runs ${old.app1}.`,
      'The tags are not recorded. Once you are ready, run the same release again: it skips what already runs the new tag and records the tags.',
    ])
    expect(fake.sent('StartInstanceRefresh')).toEqual([])
    expect(fake.latest('app2')).toBe(7)
  })

  test('Ctrl-C during the checks changes nothing', async () => {
    const fake = stage()
    const interrupt = new AbortController()
    fake.overrides.set('GetParameters', () => {
      interrupt.abort()
      return { Parameters: [] }
    })
    const { opts, errors } = options(fake, { signal: interrupt.signal })

    expect(await release({ ...opts, tags: next })).toBe(130)

    expect(errors()).toBe('Interrupted before any change: nothing was changed.')
    expect(fake.operations().some((operation) => mutating.has(operation))).toBe(false)
  })

  test('an AWS error after a change exits 1 and says what was left behind', async () => {
    const fake = stage()
    fake.overrides.set('StartInstanceRefresh', () => {
      throw Object.assign(new Error('User is not authorized to perform: autoscaling:StartInstanceRefresh'), {
        name: 'AccessDenied',
      })
    })
    const { opts, errors } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(1)

    expect(errors().split('\n')).toEqual([
      'error: StartInstanceRefresh failed: AccessDenied: User is not authorized to perform: autoscaling:StartInstanceRefresh',
      "Deleted version 8 of launch template relay-dev-app2, which no group runs: version 7 is the latest again, so Terraform's next plan shows no change.",
      'The recorded tags of dev are unchanged.',
    ])
    expect(fake.latest('app2')).toBe(7)
  })

  test('when AWS does not delete the new version, says how to delete it by hand', async () => {
    const fake = stage({
      refreshes: { app2: [{ Status: 'RollbackSuccessful', StatusReason: 'Health checks failed.' }] },
    })
    fake.overrides.set('DeleteLaunchTemplateVersions', (input) => ({
      SuccessfullyDeletedLaunchTemplateVersions: [],
      UnsuccessfullyDeletedLaunchTemplateVersions: [
        {
          LaunchTemplateId: input.LaunchTemplateId,
          VersionNumber: 8,
          ResponseError: { Code: 'unexpectedError', Message: 'Something went wrong' },
        },
      ],
    }))
    const { opts, errors } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(1)

    expect(errors()).toContain(
      'Version 8 of launch template relay-dev-app2 was created and not deleted (DeleteLaunchTemplateVersions failed: ' +
        'Error: unexpectedError: Something went wrong). Delete it with "aws ec2 delete-launch-template-versions ' +
        '--launch-template-id lt-0app2000000000000 --versions 8 --region eu-west-1", or Terraform\'s next plan changes ' +
        `the template back to ${old.app2}.`,
    )
  })

  test('keeps a new version that the group runs although its refresh failed, and records that it runs', async () => {
    const fake = stage({ refreshes: { app2: [{ Status: 'RollbackFailed', StatusReason: 'Rollback failed.' }] } })
    // AWS should leave the group on its previous version; if it does not, the version in use must stay.
    fake.overrides.set('DeleteLaunchTemplateVersions', () => {
      throw new Error('must not be called')
    })
    let describes = 0
    fake.overrides.set('DescribeAutoScalingGroups', (input) => {
      const answer = fake.DescribeAutoScalingGroups(input as { AutoScalingGroupNames: string[] })
      const template = answer.AutoScalingGroups[0]?.LaunchTemplate
      if (++describes > 1 && template) template.Version = '8'
      return answer
    })
    const { opts, errors } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(1)

    expect(errors()).toContain('Version 8 of launch template relay-dev-app2 is kept: relay-dev-app2 runs it.')
    expect(errors()).toContain(
      `Recorded what runs now in /relay/dev/app2/image-tag and /relay/dev/app1/image-tag: app2 ${next.app2}, app1 ${old.app1}.`,
    )
    expect(fake.sent('DeleteLaunchTemplateVersions')).toEqual([])
  })
})

describe('refused before any change', () => {
  test('no AWS credentials', async () => {
    const fake = stage()
    fake.overrides.set('DescribeImages', () => {
      // What the SDK throws when its credential chain finds nothing (the CLI test meets the real one).
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      })
    })
    const { opts, errors } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(2)

    expect(errors()).toBe(
      'error: no valid AWS credentials (CredentialsProviderError: Could not load credentials from any providers); ' +
        'log in first (aws sso login, AWS_PROFILE or access key variables) (nothing was changed)',
    )
  })

  test('a malformed tag, or latest', async () => {
    for (const [tag, says] of [
      ['latest', '"latest" is refused'],
      [sha('A'), 'is neither a full 40-character lowercase commit SHA nor sha256:<64 hex>'],
      ['1234567', 'is neither'],
    ] as const) {
      const fake = stage()
      const { opts, errors } = options(fake)
      expect(await release({ ...opts, tags: { ...next, app1: tag } })).toBe(2)
      expect(errors()).toStartWith('error: APP1: ')
      expect(errors()).toContain(says)
      expect(fake.requests).toEqual([])
    }
  })

  test('a group that runs $Latest, which no refresh can roll back from', async () => {
    const fake = stage()
    const template = fake.groups.get('app1')?.LaunchTemplate
    if (template) template.Version = '$Latest'
    const { opts, errors } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(2)

    expect(errors()).toBe(
      'error: relay-dev-app1 runs launch template version "$Latest"; an instance refresh rolls back only from a numbered version',
    )
  })

  test('a stage that is not applied', async () => {
    const fake = stage()
    fake.groups.delete('app2')
    const { opts, errors } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(2)

    expect(errors()).toBe(
      'error: Auto Scaling group relay-dev-app2 does not exist in eu-west-1; is the dev stage applied (make apply ENV=dev)?',
    )
  })

  test('user data that names another repository', async () => {
    const fake = stage()
    fake.versions('app1').set(12, terraformVersion('app2', old.app1))
    const { opts, errors } = options(fake)

    expect(await release({ ...opts, tags: next })).toBe(2)

    expect(errors()).toBe(
      `error: launch template relay-dev-app1 version 12 runs IMAGE=${registry}/relay/app2:${old.app1}, which is not an image of relay/app1`,
    )
  })
})

describe('a rollback', () => {
  test('releases the tags recorded before the last release, through the same steps', async () => {
    const before: Tags = { app1: sha('3'), app2: sha('4') }
    const fake = stage({
      pushed: [before.app1, before.app2],
      // Three releases recorded; paged two versions at a time.
      recorded: { app1: [sha('5'), before.app1, old.app1], app2: [sha('6'), before.app2, old.app2] },
    })
    const { opts, text } = options(fake)

    expect(await rollback(opts)).toBe(0)

    expect(fake.sent('GetParameterHistory')).toEqual([
      { Name: '/relay/dev/app2/image-tag', MaxResults: 50, NextToken: undefined },
      { Name: '/relay/dev/app2/image-tag', MaxResults: 50, NextToken: '2' },
      { Name: '/relay/dev/app1/image-tag', MaxResults: 50, NextToken: undefined },
      { Name: '/relay/dev/app1/image-tag', MaxResults: 50, NextToken: '2' },
    ])
    expect(text()).toContain(
      `Rolling dev back to the tags of the release before the last one: app2 ${before.app2}, app1 ${before.app1}`,
    )
    expect(fake.sent('StartInstanceRefresh')).toHaveLength(2)
    expect(fake.runs('app1')).toBe(before.app1)
    expect(fake.runs('app2')).toBe(before.app2)
    expect(fake.parameters.get('/relay/dev/app1/image-tag')?.at(-1)).toBe(before.app1)
  })

  test('refuses when a single release is recorded', async () => {
    const fake = stage()
    const { opts, errors } = options(fake)

    expect(await rollback(opts)).toBe(2)

    expect(errors()).toBe(
      'error: /relay/dev/app2/image-tag records a single release of dev: there is nothing before it to roll back to',
    )
  })

  test('refuses when no release is recorded', async () => {
    const fake = stage({ recorded: {} })
    const { opts, errors } = options(fake)

    expect(await rollback(opts)).toBe(2)

    expect(errors()).toBe('error: no release of dev is recorded: /relay/dev/app2/image-tag does not exist')
  })
})
