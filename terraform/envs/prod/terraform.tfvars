# Sizes of the prod stage. Example values for the account: replace aws_region and github_repository with the
# ones given to envs/global. Image tags are not here: pass them per deployment (see ../README.md).
aws_region        = "eu-west-1"
github_repository = "example-org/relay"

vpc_cidr           = "10.30.0.0/16"
az_count           = 3
single_nat_gateway = false

instance_type = "t3.small"
min_size      = 2
max_size      = 6

enable_deletion_protection = true
log_retention_days         = 90
log_level                  = "info"
