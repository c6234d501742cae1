#!/usr/bin/env bash
# Applies every pending Amazon Linux 2023 update of the base AMI's release.
set -euo pipefail

dnf --assumeyes --refresh upgrade
