mock_provider "aws" {}

variables {
  repository_names = ["relay/app1", "relay/app2"]
  tags             = { Project = "relay" }
}

run "repositories_are_immutable_scanned_and_encrypted" {
  assert {
    condition     = keys(aws_ecr_repository.this) == ["relay/app1", "relay/app2"]
    error_message = "Expected one repository per name."
  }

  assert {
    condition = alltrue([for r in aws_ecr_repository.this :
      r.image_tag_mutability == "IMMUTABLE" && r.image_scanning_configuration[0].scan_on_push && r.encryption_configuration[0].encryption_type == "AES256"
    ])
    error_message = "Every repository has immutable tags, scan on push and AES256 encryption by default."
  }

  assert {
    condition     = aws_ecr_repository.this["relay/app1"].tags["Name"] == "relay/app1" && aws_ecr_repository.this["relay/app1"].tags["Project"] == "relay"
    error_message = "Repositories carry Name merged with the tags input."
  }

  assert {
    condition     = keys(output.repository_urls) == ["relay/app1", "relay/app2"] && output.repository_arns["relay/app2"] == aws_ecr_repository.this["relay/app2"].arn
    error_message = "Outputs are maps by repository name."
  }
}

run "lifecycle_keeps_the_last_images_and_expires_untagged_ones" {
  variables {
    keep_last_images     = 10
    untagged_expiry_days = 3
  }

  assert {
    condition = alltrue([for p in aws_ecr_lifecycle_policy.this :
      jsondecode(p.policy).rules[0].selection.tagStatus == "untagged" && jsondecode(p.policy).rules[0].selection.countNumber == 3
    ])
    error_message = "Untagged images expire after untagged_expiry_days."
  }

  assert {
    condition = alltrue([for p in aws_ecr_lifecycle_policy.this :
      jsondecode(p.policy).rules[1].selection == { tagStatus = "tagged", tagPatternList = ["*"], countType = "imageCountMoreThan", countNumber = 10 }
    ])
    error_message = "Only the last keep_last_images tagged images (image indexes, one per commit) are kept."
  }

  # A count over tagStatus "any" would count each index's per-platform images too (three images a commit), and an
  # age rule on tagged images would expire the index a stage runs.
  assert {
    condition = alltrue([for p in aws_ecr_lifecycle_policy.this : alltrue([
      for rule in jsondecode(p.policy).rules :
      contains(["tagged", "untagged"], rule.selection.tagStatus) &&
      (rule.selection.tagStatus == "untagged" ? rule.selection.countType == "sinceImagePushed" : rule.selection.countType == "imageCountMoreThan")
    ])])
    error_message = "No rule may count untagged per-platform images or expire tagged images by age."
  }
}

run "kms_key_switches_encryption_to_kms" {
  variables {
    kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  }

  assert {
    condition     = aws_ecr_repository.this["relay/app1"].encryption_configuration[0].encryption_type == "KMS" && aws_ecr_repository.this["relay/app1"].encryption_configuration[0].kms_key == var.kms_key_arn
    error_message = "A given key encrypts the repositories."
  }
}

run "rejects_invalid_repository_names" {
  command = plan

  variables {
    repository_names = ["Relay/App1"]
  }

  expect_failures = [var.repository_names]
}

run "rejects_duplicate_repository_names" {
  command = plan

  variables {
    repository_names = ["relay/app1", "relay/app1"]
  }

  expect_failures = [var.repository_names]
}

run "rejects_keeping_zero_images" {
  command = plan

  variables {
    keep_last_images = 0
  }

  expect_failures = [var.keep_last_images]
}
