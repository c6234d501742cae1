# checkov CKV_AWS_136 (KMS encryption) is met only when kms_key_arn is set; the AES256 default encrypts at rest
# without the cost and key policy work of a customer managed key.
resource "aws_ecr_repository" "this" {
  for_each = toset(var.repository_names)

  name                 = each.key
  image_tag_mutability = "IMMUTABLE" # a tag (the git SHA) always names the same image, so deployments are repeatable
  force_delete         = var.force_delete

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = var.kms_key_arn == null ? "AES256" : "KMS"
    kms_key         = var.kms_key_arn
  }

  tags = merge(var.tags, { Name = each.key })
}

# Multi-architecture images: each push is an image index, tagged with the commit SHA, and one untagged image per
# platform that it references. ECR counts each of them as an image, so the count rule selects tagged images only:
# keep_last_images means commits, and no per-platform image is counted. Those are untagged, yet the untagged rule
# cannot expire them while their index exists: ECR expires no image that a manifest list references before the list
# itself (README.md, "Multi-architecture images"). They go once their index has been expired, as do leftovers of
# failed pushes.
resource "aws_ecr_lifecycle_policy" "this" {
  for_each = aws_ecr_repository.this

  repository = each.value.name

  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Expire untagged images after ${var.untagged_expiry_days} days, unless an image index references them"
        selection = {
          tagStatus   = "untagged"
          countType   = "sinceImagePushed"
          countUnit   = "days"
          countNumber = var.untagged_expiry_days
        }
        action = { type = "expire" }
      },
      {
        rulePriority = 2
        description  = "Keep the last ${var.keep_last_images} tagged images (one per commit)"
        selection = {
          tagStatus      = "tagged"
          tagPatternList = ["*"]
          countType      = "imageCountMoreThan"
          countNumber    = var.keep_last_images
        }
        action = { type = "expire" }
      },
    ]
  })
}
