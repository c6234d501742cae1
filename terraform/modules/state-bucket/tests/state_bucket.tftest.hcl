# Plan only: prevent_destroy would (rightly) stop the test from destroying what an apply created.
mock_provider "aws" {
  mock_resource "aws_s3_bucket" {
    override_during = plan
    defaults = {
      id  = "relay-tfstate-test"
      arn = "arn:aws:s3:::relay-tfstate-test"
    }
  }
}

variables {
  bucket_name = "relay-tfstate-test"
  tags        = { Project = "relay" }
}

run "bucket_is_private_versioned_and_encrypted" {
  command = plan

  assert {
    condition     = aws_s3_bucket.this.bucket == "relay-tfstate-test" && aws_s3_bucket.this.tags["Project"] == "relay"
    error_message = "The bucket takes the given name and tags."
  }

  assert {
    condition     = aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "State must be versioned so that a bad apply can be rolled back."
  }

  assert {
    condition = (
      aws_s3_bucket_public_access_block.this.block_public_acls &&
      aws_s3_bucket_public_access_block.this.block_public_policy &&
      aws_s3_bucket_public_access_block.this.ignore_public_acls &&
      aws_s3_bucket_public_access_block.this.restrict_public_buckets
    )
    error_message = "The state bucket must block all public access."
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "State objects are encrypted with KMS."
  }

  assert {
    condition     = aws_s3_bucket_lifecycle_configuration.this.rule[0].noncurrent_version_expiration[0].noncurrent_days == 90
    error_message = "Superseded state versions expire after noncurrent_version_expiration_days."
  }
}

run "policy_denies_requests_without_tls" {
  command = plan

  assert {
    condition = (
      jsondecode(aws_s3_bucket_policy.this.policy).Statement[0].Effect == "Deny" &&
      jsondecode(aws_s3_bucket_policy.this.policy).Statement[0].Condition.Bool["aws:SecureTransport"] == "false" &&
      toset(jsondecode(aws_s3_bucket_policy.this.policy).Statement[0].Resource) == toset(["arn:aws:s3:::relay-tfstate-test", "arn:aws:s3:::relay-tfstate-test/*"])
    )
    error_message = "The bucket policy must deny any request without TLS, on the bucket and its objects."
  }
}

run "policy_refuses_uploads_that_ask_for_another_encryption" {
  command = plan

  assert {
    condition = anytrue([
      for s in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      s.Effect == "Deny" && s.Action == "s3:PutObject" && s.Resource == "arn:aws:s3:::relay-tfstate-test/*" &&
      try(s.Condition.StringNotEqualsIfExists["s3:x-amz-server-side-encryption"], []) == ["aws:kms", "aws:kms:dsse"]
    ])
    error_message = "Uploads that ask for an encryption other than SSE-KMS (e.g. SSE-S3 from encrypt = true) must be refused; those without the header get the bucket's default."
  }
}

run "given_kms_key_encrypts_the_state" {
  command = plan

  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default).kms_master_key_id == var.kms_key_arn
    error_message = "A given key encrypts the state objects."
  }
}

run "rejects_an_invalid_bucket_name" {
  command = plan

  variables {
    bucket_name = "Relay_State"
  }

  expect_failures = [var.bucket_name]
}
