#!/usr/bin/env bash
# Turns this instance into the NAT of a VPC's private subnets. Installed as /usr/local/sbin/relay-nat by the network
# module's user data and run by relay-nat.service at every boot. Two steps:
#
#   relay-nat boot        the AWS part, then `configure`: installs nft and the AWS CLI if missing, attaches the
#                         fixed network interface (NAT_INTERFACE_ID) to this instance unless it already is
#   relay-nat configure   no AWS: IP forwarding, the firewall and masquerading, the routes of forwarded traffic
#
# The fixed interface is the one every private route table points at; it carries the Elastic IP. Forwarded traffic
# enters and leaves through it. systemd-networkd leaves it alone (the user data marks it unmanaged), so its address
# and routes are this script's alone. The instance's own traffic (SSM agent, dnf, the attach call) keeps using the
# primary interface and its routes, so Session Manager works even when the fixed interface is missing.
#
# Settings come from the environment (/etc/relay-nat.env, written by the user data):
#   NAT_INTERFACE_ID        eni-... of the fixed interface (boot only)
#   NAT_INTERFACE_MAC       its MAC address, which names it on this host whatever the kernel calls it
#   NAT_INTERFACE_ADDRESS   its private address with the subnet's prefix length, e.g. 10.0.0.20/20
#   NAT_SUBNET_ROUTER       the router of its subnet (the subnet's base address + 1 in a VPC)
#   NAT_PRIVATE_CIDRS       space-separated CIDRs allowed to go out through this NAT
#   NAT_INTERFACE_TIMEOUT   seconds to wait for the interface to appear (default 120)
#   NAT_ATTACH_TIMEOUT      seconds to keep retrying the attach, e.g. while a replaced instance still holds the
#                           interface (default 600)
set -euo pipefail

# Forwarded packets use the main table's specific routes (so replies to directly connected networks stay local), and
# this table, whose only route leaves through the fixed interface, for everything else. Locally generated packets
# (iif lo) are left to the main table and to amazon-ec2-net-utils' per-interface rules.
readonly ROUTE_TABLE=4242
readonly RULE_PRIORITY_MAIN=4240
readonly RULE_PRIORITY_NAT=4241
readonly NFT_TABLE=relay_nat

log() { echo "relay-nat: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

require() {
  local name
  for name in "$@"; do
    [ -n "${!name:-}" ] || die "$name is not set"
  done
}

# Prints the name of the network interface with MAC address $1; fails when there is none.
interface_with_mac() {
  local mac=${1,,} path
  for path in /sys/class/net/*; do
    if [ "$(cat "$path/address" 2>/dev/null)" = "$mac" ]; then
      basename "$path"
      return 0
    fi
  done
  return 1
}

# Waits until the interface with MAC $1 exists (an attached interface appears a moment after the API call), then
# prints its name.
wait_for_interface() {
  local mac=$1 deadline=$((SECONDS + ${NAT_INTERFACE_TIMEOUT:-120})) interface
  until interface=$(interface_with_mac "$mac"); do
    [ "$SECONDS" -lt "$deadline" ] || die "no interface with MAC $mac after ${NAT_INTERFACE_TIMEOUT:-120} s"
    sleep 1
  done
  echo "$interface"
}

# The nftables ruleset: forward only what the private subnets start and its replies, masquerade it behind the fixed
# interface's address. Applied as one transaction that replaces the previous version of the table.
ruleset() {
  local interface=$1 cidr cidrs list
  read -r -a list <<<"$NAT_PRIVATE_CIDRS"
  for cidr in "${list[@]}"; do
    [[ $cidr =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$ ]] || die "NAT_PRIVATE_CIDRS: '$cidr' is not an IPv4 CIDR"
  done
  cidrs=$(IFS=,; echo "${list[*]}")
  cat <<EOF
table ip $NFT_TABLE
delete table ip $NFT_TABLE
table ip $NFT_TABLE {
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    ip saddr { $cidrs } oifname "$interface" accept
  }

  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr { $cidrs } oifname "$interface" masquerade
  }
}
EOF
}

configure() {
  require NAT_INTERFACE_MAC NAT_INTERFACE_ADDRESS NAT_SUBNET_ROUTER NAT_PRIVATE_CIDRS
  local interface
  interface=$(wait_for_interface "$NAT_INTERFACE_MAC")
  log "fixed interface: $interface ($NAT_INTERFACE_MAC)"

  # No prefix route in the main table: the primary interface, in the same subnet, stays the way out for the
  # instance's own traffic. The router is declared on-link instead.
  ip link set dev "$interface" up
  ip address replace "$NAT_INTERFACE_ADDRESS" dev "$interface" noprefixroute

  # Loose reverse-path filtering: forwarded packets arrive from subnets that are not directly connected. No ICMP
  # redirects: in a VPC, traffic enters and leaves through the same interface, and the VPC router decides the path.
  sysctl --quiet --write net.ipv4.conf.all.rp_filter=2 "net.ipv4.conf.$interface.rp_filter=2"
  sysctl --quiet --write net.ipv4.conf.all.send_redirects=0 "net.ipv4.conf.$interface.send_redirects=0"

  ruleset "$interface" | nft --file -

  ip route replace default via "$NAT_SUBNET_ROUTER" dev "$interface" onlink table "$ROUTE_TABLE"
  while ip rule del priority "$RULE_PRIORITY_MAIN" 2>/dev/null; do :; done
  while ip rule del priority "$RULE_PRIORITY_NAT" 2>/dev/null; do :; done
  ip rule add priority "$RULE_PRIORITY_MAIN" not iif lo lookup main suppress_prefixlength 0
  ip rule add priority "$RULE_PRIORITY_NAT" not iif lo lookup "$ROUTE_TABLE"

  # Last, so that nothing is forwarded before the firewall is in place.
  sysctl --quiet --write net.ipv4.ip_forward=1
  log "forwarding ${NAT_PRIVATE_CIDRS} through $interface via $NAT_SUBNET_ROUTER"
}

# IMDSv2: a session token first, then the path asked for.
imds() {
  local token
  token=$(curl --silent --fail --max-time 5 --request PUT \
    --header 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)
  curl --silent --fail --max-time 5 --header "X-aws-ec2-metadata-token: $token" \
    "http://169.254.169.254/latest/meta-data/$1"
}

install_missing_tools() {
  local packages=()
  command -v nft >/dev/null || packages+=(nftables)
  command -v aws >/dev/null || packages+=(awscli-2)
  [ "${#packages[@]}" -eq 0 ] || dnf --assumeyes --quiet install "${packages[@]}"
}

# After a replacement the new instance takes the interface over; the old one may still hold it for a while as it
# shuts down, so the attach is retried until NAT_ATTACH_TIMEOUT.
attach_fixed_interface() {
  require NAT_INTERFACE_ID NAT_INTERFACE_MAC
  if interface_with_mac "$NAT_INTERFACE_MAC" >/dev/null; then
    log "$NAT_INTERFACE_ID is already attached"
    return 0
  fi
  local instance_id region deadline=$((SECONDS + ${NAT_ATTACH_TIMEOUT:-600}))
  instance_id=$(imds instance-id)
  region=$(imds placement/region)
  until aws ec2 attach-network-interface --region "$region" --instance-id "$instance_id" \
    --network-interface-id "$NAT_INTERFACE_ID" --device-index 1 --output text; do
    [ "$SECONDS" -lt "$deadline" ] || die "could not attach $NAT_INTERFACE_ID within ${NAT_ATTACH_TIMEOUT:-600} s"
    log "attaching $NAT_INTERFACE_ID failed; retrying in 10 s"
    sleep 10
  done
  log "attached $NAT_INTERFACE_ID to $instance_id"
  # udev may rename the new interface (eth1 -> ens6); configure must see its final name.
  wait_for_interface "$NAT_INTERFACE_MAC" >/dev/null
  udevadm settle
}

case "${1:-}" in
  boot)
    install_missing_tools
    attach_fixed_interface
    configure
    ;;
  configure)
    configure
    ;;
  *)
    echo "usage: $0 boot|configure" >&2
    exit 2
    ;;
esac
