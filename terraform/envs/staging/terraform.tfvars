# Sizes of the staging stage. Example values for the account: replace aws_region and github_repository with the
# ones given to envs/global. Image tags are not here: pass them per deployment (see ../README.md).
aws_region        = "eu-west-1"
github_repository = "example-org/relay"

vpc_cidr           = "10.20.0.0/16"
az_count           = 2
single_nat_gateway = true

instance_type = "t3.small"
min_size      = 2
max_size      = 4

enable_deletion_protection = false
log_retention_days         = 30
log_level                  = "info"
