# Example values: replace them with your own before the first apply.
aws_region        = "eu-west-1"
github_repository = "example-org/relay"
state_bucket_name = "relay-tfstate-123456789012-eu-west-1" # <project>-tfstate-<account id>-<region> keeps it unique
