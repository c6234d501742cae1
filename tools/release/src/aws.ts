// The AWS SDK clients a release uses, and how their errors read in one line.
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import { EC2Client } from '@aws-sdk/client-ec2'
import { ECRClient } from '@aws-sdk/client-ecr'
import { SSMClient } from '@aws-sdk/client-ssm'

// The four AWS APIs a release uses. The release logic takes them as a parameter, so the tests hand it clients that
// answer from a script and record every request.
export interface Clients {
  autoScaling: AutoScalingClient
  ec2: EC2Client
  ecr: ECRClient
  ssm: SSMClient
}

/** SDK clients for `region`, with credentials from the SDK's default chain (environment, profile, SSO, role...). */
export function awsClients(region: string): Clients {
  return {
    autoScaling: new AutoScalingClient({ region }),
    ec2: new EC2Client({ region }),
    ecr: new ECRClient({ region }),
    ssm: new SSMClient({ region }),
  }
}

// No credentials at all (CredentialsProviderError), or credentials AWS does not accept (expired, revoked).
const credentialErrors = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'AuthFailure',
  'TokenRefreshRequired',
])

/** One line saying what went wrong in an AWS call, and what to do when it is about credentials. */
export function describeAwsError(operation: string, error: unknown): string {
  const name = (error as { name?: string } | null)?.name ?? 'Error'
  const message = (error as { message?: string } | null)?.message ?? String(error)
  if (credentialErrors.has(name)) {
    return `no valid AWS credentials (${name}: ${message}); log in first (aws sso login, AWS_PROFILE or access key variables)`
  }
  return `${operation} failed: ${name}: ${message}`
}
