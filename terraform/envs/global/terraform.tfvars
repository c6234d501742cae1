# Example values: replace them with your own before the first apply.
aws_region        = "eu-west-1"
github_repository = "example-org/relay"
state_bucket_name = "relay-tfstate-123456789012-eu-west-1" # <project>-tfstate-<account id>-<region> keeps it unique
# packer_subnet_id = "subnet-0123456789abcdef0" # where relay-ci-packer may launch (docs/operations.md, step 3)
