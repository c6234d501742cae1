#!/usr/bin/env bash
# Removes what must not be shared by every instance of the AMI: caches, logs, SSH host keys and authorized
# keys, the machine ID and cloud-init's state. Also disables sshd: instances are reached through Session
# Manager only. Runs last; the build's own SSH session survives because sshd is only disabled, not stopped.
set -euo pipefail

rm -rf "${RELAY_FILES_DIR:?}"
dnf clean all
rm -rf /var/cache/dnf/*

systemctl disable sshd.service
rm -f /etc/ssh/ssh_host_*
rm -f /root/.ssh/authorized_keys /home/*/.ssh/authorized_keys
rm -f /root/.bash_history /home/*/.bash_history

cloud-init clean --logs
# An empty machine-id makes systemd generate a fresh one on the first boot of every instance.
truncate --size 0 /etc/machine-id

journalctl --rotate
journalctl --vacuum-time=1s
# journald's own files were rotated and vacuumed above; the rest are rotated copies and plain text logs.
find /var/log -path /var/log/journal -prune -o -type f \( -name '*.gz' -o -name '*-[0-9]*' -o -name '*.[0-9]' \) -print0 |
  xargs --null --no-run-if-empty rm -f
find /var/log -path /var/log/journal -prune -o -type f -print0 | xargs --null --no-run-if-empty truncate --size 0
