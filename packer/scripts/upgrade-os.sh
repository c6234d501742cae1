#!/usr/bin/env bash
# Applies every Amazon Linux 2023 update. AL2023 pins its repositories to the base AMI's release, so
# --releasever=latest is what also brings in updates published in newer releases since that AMI was made.
set -euo pipefail

dnf --assumeyes --refresh --releasever=latest upgrade
