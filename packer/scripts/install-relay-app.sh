#!/usr/bin/env bash
# Installs relay-app.service and the script it runs. The unit stays disabled: Terraform's user data writes
# /etc/relay/runtime.env and app.env, then enables it.
set -euo pipefail
files=${RELAY_FILES_DIR:?RELAY_FILES_DIR must name the uploaded packer/files directory}

install --mode 0755 "$files/relay-app-container" /usr/local/bin/relay-app-container
install --mode 0644 "$files/relay-app.service" /etc/systemd/system/relay-app.service
install -d --mode 0750 /etc/relay
systemctl daemon-reload
