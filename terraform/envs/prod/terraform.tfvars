# The account's values for this stage: replace the examples (aws_region and github_repository as given to
# envs/global). The stage's sizes are in main.tf; image tags are given per deployment (see ../README.md).
aws_region        = "eu-west-1"
github_repository = "example-org/relay"

# HTTPS on the public load balancer (see ../README.md): a domain in one of the account's public Route 53 hosted
# zones, for which a certificate is requested and validated, or an existing ACM certificate in aws_region.
# prod refuses to plan until one of them is set (require_https in main.tf).
domain_name     = null # e.g. "api.relay.example.com"
hosted_zone_id  = null # e.g. "Z0123456789ABCDEFGHIJ": aws route53 list-hosted-zones-by-name --dns-name relay.example.com
certificate_arn = null

# Who the alarms reach: AWS mails this address a link that must be clicked before any alarm arrives.
alarm_email = null
