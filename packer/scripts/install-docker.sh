#!/usr/bin/env bash
# Installs Docker and the ECR credential helper, so that root's docker pulls from ECR with the instance role's
# credentials and no `docker login` (tokens expire after 12 hours). Keeps the SSM agent enabled.
set -euo pipefail
files=${RELAY_FILES_DIR:?RELAY_FILES_DIR must name the uploaded packer/files directory}

dnf --assumeyes install docker amazon-ecr-credential-helper

install -D --mode 0644 "$files/daemon.json" /etc/docker/daemon.json
install -d --mode 0700 /root/.docker
install --mode 0600 "$files/docker-config.json" /root/.docker/config.json

systemctl enable docker.service
systemctl enable amazon-ssm-agent.service
