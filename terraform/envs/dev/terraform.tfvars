# Example values for the account: replace them with the ones given to envs/global. This stage's own values are
# in main.tf; image tags are given per deployment (see ../README.md).
aws_region        = "eu-west-1"
github_repository = "example-org/relay"
