# Entry points for people and CI. Each target installs what it needs first, so they work on a fresh machine.
# The logic lives in scripts/ (indexed in scripts/README.md, shellchecked); this file only names it.

# The stage that plan, apply, release and rollback act on: always given (make apply ENV=staging), never a default,
# so that a forgotten ENV stops with this message instead of changing dev. $(1) says what the target takes: a
# folder of terraform/envs, which the scripts check (no list of the stages here).
stage = $(or $(ENV),$(error ENV is required: make $@ ENV=<$(1)>))

.DEFAULT_GOAL := help
.PHONY: help dev test test-apps test-browser test-terraform test-nat test-packer test-workflows test-scripts resilience \
        bench stack images plan apply release rollback fmt

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

dev: ## Install what is missing and run app2 and app1 (wired to app2) locally
	@scripts/dev.sh

test: ## Install what is missing and run every test of the repository
	@scripts/test.sh

test-apps: ## Test the service kit and both apps (app2 split out, both run as arm64 under qemu); build and start the images with Docker (or oci-smoke)
	@scripts/test-apps.sh

test-browser: ## Swagger UI of both apps in headless Chromium, offline: renders, Try it out works, no CSP violation
	@scripts/test-browser.sh

test-terraform: ## terraform fmt, validate and test (mocked provider) for every module and env
	@scripts/test-terraform.sh

test-nat: ## The NAT instance's script for real in network namespaces: forwarding, masquerading, no way in (root)
	@scripts/test-nat.sh

test-packer: ## packer fmt, tsc and Biome over its tests; the AMI template's structure and contracts (service module, CI role), unit file, boot script
	@scripts/test-packer.sh

test-workflows: ## actionlint and our workflow policy over .github (pinned actions, permissions, timeouts)
	@scripts/test-workflows.sh

test-scripts: ## shellcheck every shell script; tsc, Biome and the tests of the tooling (e2e, bench, tools)
	@scripts/test-scripts.sh

resilience: ## Rolling restarts, kill -9, app2 outage and fuzz under load, through local load balancers
	@scripts/resilience.sh

bench: ## Throughput and latency of app2 and the app1->app2 chain against a plain Bun baseline
	@scripts/bench.sh

stack: ## Run 2x app1 and 2x app2 behind a public and an internal HAProxy, like the ALBs (Ctrl-C stops)
	@scripts/stack.sh

images: ## Build both apps (or APPS=app1) for amd64+arm64, push to ECR as relay/<app>:<commit SHA>; needs AWS credentials and AWS_REGION
	@scripts/images.sh $(APPS)

plan: ## terraform plan for ENV (global or a stage: a folder of terraform/envs), saved for apply; needs AWS credentials, AWS_REGION and TF_STATE_BUCKET
	@scripts/terraform.sh plan "$(call stage,global or a stage: a folder of terraform/envs)"

apply: ## Apply the plan `make plan` saved for ENV, when it is recent and of the same committed code (terraform/README.md); same needs as plan
	@scripts/terraform.sh apply "$(call stage,global or a stage: a folder of terraform/envs)"

release: ## Roll ENV (a stage: a folder of terraform/envs but global) onto APP1=<sha> APP2=<sha> (or TAG=<sha>), rolled back if it fails; needs AWS credentials and AWS_REGION; DRY_RUN=1 prints only
	@scripts/release.sh release --stage "$(call stage,a stage: a folder of terraform/envs but global)" $(if $(TAG),--tag "$(TAG)") $(if $(APP1),--app1 "$(APP1)") \
	  $(if $(APP2),--app2 "$(APP2)") $(if $(DRY_RUN),--dry-run)

rollback: ## Release the tags the stage ENV ran before its last release again; same needs as release; DRY_RUN=1 prints only
	@scripts/release.sh rollback --stage "$(call stage,a stage: a folder of terraform/envs but global)" $(if $(DRY_RUN),--dry-run)

fmt: ## Format code: Biome in every Bun project, terraform fmt, packer fmt
	@scripts/fmt.sh
