#!/usr/bin/env bash
# Turns this instance into the NAT of a VPC's private subnets. Installed as /usr/local/sbin/relay-nat by the network
# module's user data and run by relay-nat.service at every boot. Two steps:
#
#   relay-nat boot        the AWS part, then `configure`: installs nft and the AWS CLI if missing; unless the fixed
#                         network interface is already attached (a reboot), associates the NAT's Elastic IP with this
#                         instance (NAT_ALLOCATION_ID), then attaches the fixed interface (NAT_INTERFACE_ID)
#   relay-nat configure   no AWS: IP forwarding, the firewall and masquerading, the routes of forwarded traffic
#
# The fixed interface is the one every private route table points at; it has no public address. Forwarded traffic
# enters through it and leaves through the primary interface, masqueraded behind the primary's private address, which
# carries the Elastic IP; the replies go back to the private subnets through the fixed interface. (The primary keeps
# EC2's source/destination check: everything it sends or receives is from or to its own address.) systemd-networkd
# leaves the fixed interface alone (the user data marks it unmanaged), so its address and routes are this script's
# alone. The instance's own traffic (SSM agent, dnf, the API calls) uses the primary interface and its routes, so
# Session Manager works even when the fixed interface is missing.
#
# Settings come from the environment (/etc/relay-nat.env, written by the user data):
#   NAT_ALLOCATION_ID       eipalloc-... of the NAT's Elastic IP (boot only)
#   NAT_PUBLIC_IP           its address, which the instance metadata shows once it is this instance's (boot only)
#   NAT_INTERFACE_ID        eni-... of the fixed interface (boot only)
#   NAT_INTERFACE_MAC       its MAC address, which names it on this host whatever the kernel calls it
#   NAT_INTERFACE_ADDRESS   its private address with the subnet's prefix length, e.g. 10.0.0.20/20
#   NAT_SUBNET_ROUTER       the router of its subnet (the subnet's base address + 1 in a VPC)
#   NAT_PRIVATE_CIDRS       space-separated CIDRs allowed to go out through this NAT
#   NAT_INTERFACE_TIMEOUT   seconds to wait for the interface to appear (default 120)
#   NAT_ATTACH_TIMEOUT      seconds to keep retrying the association and the attach, e.g. while a replaced instance
#                           still holds the interface (default 600)
set -euo pipefail

# Forwarded packets to the private subnets (the replies) are routed by this table, whose only routes lead to them
# through the fixed interface; everything else falls through to the main table, whose default route leaves through
# the primary interface (amazon-ec2-net-utils sets it up). Locally generated packets (iif lo) skip this table.
readonly ROUTE_TABLE=4242
readonly RULE_PRIORITY=4241
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

# Prints the interface of the main table's default route: the primary interface, which amazon-ec2-net-utils
# configures (DHCP) and the instance's own traffic leaves through.
primary_interface() {
  ip -4 route show default table main |
    awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }'
}

# The nftables ruleset for fixed interface $1, primary interface $2 and the private CIDRs that follow: forward only
# what the private subnets start, in through the fixed interface and out through the primary, and its replies;
# masquerade it behind the primary's address. Applied as one transaction that replaces the previous version.
ruleset() {
  local fixed=$1 primary=$2 cidrs
  shift 2
  cidrs=$(IFS=,; echo "$*")
  cat <<EOF
table ip $NFT_TABLE
delete table ip $NFT_TABLE
table ip $NFT_TABLE {
  chain forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "$fixed" oifname "$primary" ip saddr { $cidrs } accept
  }

  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "$primary" ip saddr { $cidrs } masquerade
  }
}
EOF
}

configure() {
  require NAT_INTERFACE_MAC NAT_INTERFACE_ADDRESS NAT_SUBNET_ROUTER NAT_PRIVATE_CIDRS
  local cidrs cidr fixed primary
  read -r -a cidrs <<<"$NAT_PRIVATE_CIDRS"
  for cidr in "${cidrs[@]}"; do
    [[ $cidr =~ ^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$ ]] || die "NAT_PRIVATE_CIDRS: '$cidr' is not an IPv4 CIDR"
  done
  primary=$(primary_interface)
  [ -n "$primary" ] || die "no default route in the main table: the primary interface is not configured"
  fixed=$(wait_for_interface "$NAT_INTERFACE_MAC")
  [ "$fixed" != "$primary" ] || die "the default route leaves through the fixed interface $fixed, not the primary"
  log "fixed interface: $fixed ($NAT_INTERFACE_MAC); primary interface: $primary"

  # No prefix route in the main table: the primary interface, in the same subnet, stays the way out for the
  # instance's own traffic. The router is declared on-link instead.
  ip link set dev "$fixed" up
  ip address replace "$NAT_INTERFACE_ADDRESS" dev "$fixed" noprefixroute

  # Loose reverse-path filtering: forwarded packets arrive on the fixed interface from subnets that the main table
  # reaches through the primary. No ICMP redirects: a packet that would leave through the interface it came in on is
  # the firewall's to drop, and the VPC router decides the paths.
  sysctl --quiet --write net.ipv4.conf.all.rp_filter=2 "net.ipv4.conf.$fixed.rp_filter=2"
  sysctl --quiet --write net.ipv4.conf.all.send_redirects=0 "net.ipv4.conf.$fixed.send_redirects=0"

  ruleset "$fixed" "$primary" "${cidrs[@]}" | nft --file -

  # The replies to the private subnets go back through the fixed interface: the primary's source/destination check
  # would drop them, as their source is the internet host's.
  for cidr in "${cidrs[@]}"; do
    ip route replace "$cidr" via "$NAT_SUBNET_ROUTER" dev "$fixed" onlink table "$ROUTE_TABLE"
  done
  while ip rule del priority "$RULE_PRIORITY" 2>/dev/null; do :; done
  ip rule add priority "$RULE_PRIORITY" not iif lo lookup "$ROUTE_TABLE"

  # Last, so that nothing is forwarded before the firewall is in place.
  sysctl --quiet --write net.ipv4.ip_forward=1
  log "forwarding ${NAT_PRIVATE_CIDRS}: in through $fixed, out through $primary"
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

# Prints this instance's public IPv4 address as the instance metadata shows it (the Elastic IP once associated);
# nothing when it has none.
public_address() {
  imds public-ipv4 || true
}

# Associates the Elastic IP with instance $1 (region $2), taking it from a replaced instance if need be. EC2 puts it
# on the primary private address and releases the auto-assigned public address the call was made from: the response
# may be lost, so success is what the instance metadata shows, and the call (idempotent) is repeated until then. It
# names the instance, which AssociateAddress accepts only while the instance has one network interface: hence
# before the attach.
associate_elastic_ip() {
  local instance_id=$1 region=$2 deadline=$((SECONDS + ${NAT_ATTACH_TIMEOUT:-600}))
  until [ "$(public_address)" = "$NAT_PUBLIC_IP" ]; do
    [ "$SECONDS" -lt "$deadline" ] || die "$NAT_PUBLIC_IP is not this instance's after ${NAT_ATTACH_TIMEOUT:-600} s"
    aws ec2 associate-address --region "$region" --instance-id "$instance_id" --allocation-id "$NAT_ALLOCATION_ID" \
      --allow-reassociation --cli-connect-timeout 10 --cli-read-timeout 10 --output text ||
      log "associating $NAT_ALLOCATION_ID failed"
    sleep 5
  done
  log "associated $NAT_ALLOCATION_ID ($NAT_PUBLIC_IP) with $instance_id"
}

# After a replacement the new instance takes the interface over; the old one may still hold it for a while as it
# shuts down, so the attach is retried until NAT_ATTACH_TIMEOUT.
attach_fixed_interface() {
  local instance_id=$1 region=$2 deadline=$((SECONDS + ${NAT_ATTACH_TIMEOUT:-600}))
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

# A new instance takes the NAT over: the Elastic IP first, then the fixed interface. After a reboot both are its own
# already; if the address is not (someone moved it), only a replacement gets it back, so the boot fails.
take_over_the_nat() {
  require NAT_ALLOCATION_ID NAT_PUBLIC_IP NAT_INTERFACE_ID NAT_INTERFACE_MAC
  if interface_with_mac "$NAT_INTERFACE_MAC" >/dev/null; then
    [ "$(public_address)" = "$NAT_PUBLIC_IP" ] ||
      die "$NAT_INTERFACE_ID is attached but $NAT_PUBLIC_IP is not this instance's public address"
    log "$NAT_INTERFACE_ID and $NAT_PUBLIC_IP are this instance's already"
    return 0
  fi
  local instance_id region
  instance_id=$(imds instance-id)
  region=$(imds placement/region)
  associate_elastic_ip "$instance_id" "$region"
  attach_fixed_interface "$instance_id" "$region"
}

case "${1:-}" in
  boot)
    install_missing_tools
    take_over_the_nat
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
