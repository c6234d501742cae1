// The plan of a release: per service, what runs now and what will run.
import type { Service, ServiceNames } from './names'

export type Tags = Record<Service, string>

/** What a release needs of a service's Auto Scaling group, which must run a numbered launch template version. */
interface GroupState {
  service: Service
  names: ServiceNames
  launchTemplateId: string
  /** The numbered launch template version the group runs. */
  runningVersion: number
  /** How many of the group's instances run another launch template or version. */
  strayInstances: number
  /** Seconds a new instance warms up: the group's DefaultInstanceWarmup, or its HealthCheckGracePeriod. */
  warmup: number
}

/** What the tool knows about one service before it changes anything. */
export interface ServicePlan extends GroupState {
  /** The template's latest version: Terraform's last change or the last release; new versions are made from it. */
  latestVersion: number
  /** User data of the latest version. */
  latestUserData: string
  /** Tag in the user data of the version the group runs: what runs now. */
  currentTag: string
  /** Tag in the user data of the latest version. */
  latestTag: string
  recordedTag: string | undefined
  targetTag: string
  targetReference: string
  /**
   * release: a new version from the latest one with the target image, and a refresh to it; latest: the latest version
   * carries the target image but the group runs an older one (a launch template change from Terraform), a refresh to
   * it; converge: a refresh of the stray instances to the version the group runs; none.
   */
  action: 'release' | 'latest' | 'converge' | 'none'
}
