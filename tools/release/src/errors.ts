// The exit codes of a run, and the errors that stop it with each of them.
import { describeAwsError } from './aws'

export const exitCodes = {
  released: 0,
  /** A change was made and the release did not succeed (rolled back, cancelled, failed, AWS error). */
  failed: 1,
  /** Bad input or a failed check: nothing was changed. */
  refused: 2,
  interrupted: 130,
} as const

/** A check failed or the input is bad; thrown only before any change. */
export class Refused extends Error {}

/** Something went wrong; exit 1 once a change was made, else exit 2. */
export class Failed extends Error {}

/** The interrupt signal aborted: the run stops where it is. */
export class Interrupted extends Error {}

export class AwsCallError extends Error {
  constructor(
    readonly operation: string,
    readonly cause: unknown,
  ) {
    super(describeAwsError(operation, cause))
  }

  /** The name of the AWS error behind it, e.g. ImageNotFoundException. */
  get awsErrorName(): string | undefined {
    return (this.cause as { name?: string } | null)?.name
  }
}
