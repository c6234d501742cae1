#!/usr/bin/env bash
# `make test-nat`: runs the NAT instance's script (terraform/modules/network/nat-instance/relay-nat.sh) as shipped,
# `configure` step, in a network namespace that stands for the NAT instance, and checks what it does with real
# packets. Needs root (network namespaces). Three more namespaces stand for a private subnet, the VPC and the
# internet:
#
#   [private] 10.0.128.10 --- 10.0.128.1 [vpc] 10.0.0.1 --- 10.0.0.20 fixed   [nat]
#                                              10.0.0.1 --- 10.0.0.30 primary [nat]
#                                            192.0.2.1 --- 192.0.2.2 [internet] server 198.51.100.10:8080
#
# The vpc namespace plays what AWS does: the private route table sends everything that leaves the VPC to the NAT's
# fixed interface; the public subnet's router (10.0.0.1) reaches both NAT interfaces; EC2's source/destination
# check is on for the primary interface (what it sends must come from 10.0.0.30, what it is sent must go to
# 10.0.0.30) and off for the fixed one; the internet gateway is the link to the internet namespace (without the
# translation of the primary's address to the Elastic IP: the server sees the primary's private address). The nat
# namespace's default route leaves through the primary interface (what amazon-ec2-net-utils sets up). The fixed
# interface appears only after the script has started, as after an attach, and gets its address from the script.
# The server answers each connection with the address it came from. So a private host's connection works only
# when its packets go in through the fixed interface and out through the primary with their source rewritten, and
# the replies back through the fixed interface.
# Every run uses its own namespace names and removes them (and what runs in them) on exit, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh ip nft socat

[ "$(id -u)" -eq 0 ] || { echo "test-nat: needs root to create network namespaces" >&2; exit 1; }

script=terraform/modules/network/nat-instance/relay-nat.sh
run_id="relay-nat-$$-$RANDOM"
ns_private="$run_id-private"
ns_vpc="$run_id-vpc"
ns_nat="$run_id-nat"
ns_internet="$run_id-internet"
ns_bare="$run_id-bare"
namespaces=("$ns_private" "$ns_vpc" "$ns_nat" "$ns_internet" "$ns_bare")
fixed_mac=02:00:00:00:00:20
server=198.51.100.10
private_cidrs="10.0.128.0/20 10.0.144.0/20"

cleanup() {
  local ns pid
  for ns in "${namespaces[@]}"; do
    ip netns list | grep -qw -- "$ns" || continue
    for pid in $(ip netns pids "$ns"); do kill "$pid" 2>/dev/null || true; done
    ip netns delete "$ns"
  done
}
trap cleanup EXIT

failures=0
pass() { echo "ok      $1"; }
fail() {
  echo "FAILED  $1" >&2
  failures=$((failures + 1))
}

in_ns() {
  local ns=$1
  shift
  ip netns exec "$ns" "$@"
}

# Prints what the server at <address>:<port> answers when <ns> connects to it; fails when no connection is made.
connect() {
  in_ns "$1" timeout 5 socat -T 3 - "TCP:$2:$3,connect-timeout=2" </dev/null
}

# Waits until something in <ns> accepts connections on <address>:<port>.
wait_listening() {
  local tries=0
  until connect "$1" "$2" "$3" >/dev/null 2>&1; do
    tries=$((tries + 1))
    [ "$tries" -lt 50 ] || { echo "test-nat: nothing listens on $2:$3 in $1" >&2; exit 1; }
    sleep 0.1
  done
}

# Runs the shipped script's configure step in <ns> (default: the nat namespace) with the settings the user data
# would give it; more settings can be given as NAME=value arguments.
configure_nat() {
  local ns=$ns_nat
  if [ "${1:-}" = --in ]; then
    ns=$2
    shift 2
  fi
  in_ns "$ns" env NAT_INTERFACE_MAC="$fixed_mac" NAT_INTERFACE_ADDRESS=10.0.0.20/24 NAT_SUBNET_ROUTER=10.0.0.1 \
    NAT_PRIVATE_CIDRS="$private_cidrs" NAT_INTERFACE_TIMEOUT=10 "$@" bash "$script" configure
}

for ns in "${namespaces[@]}"; do
  ip netns add "$ns"
  in_ns "$ns" ip link set lo up
done

# The VPC forwards, and asymmetric paths are normal in it: no reverse-path filtering on the links made after this.
in_ns "$ns_vpc" sysctl --quiet --write net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
  net.ipv4.conf.default.rp_filter=0

# Links are created inside their namespaces, so parallel runs cannot collide on interface names.
ip link add name to-private netns "$ns_vpc" type veth peer name eth0 netns "$ns_private"
ip link add name to-primary netns "$ns_vpc" type veth peer name primary netns "$ns_nat"
ip link add name to-internet netns "$ns_vpc" type veth peer name to-vpc netns "$ns_internet"

in_ns "$ns_private" ip address add 10.0.128.10/20 dev eth0
in_ns "$ns_private" ip link set eth0 up
in_ns "$ns_private" ip route add default via 10.0.128.1

in_ns "$ns_nat" ip address add 10.0.0.30/24 dev primary
in_ns "$ns_nat" ip link set primary up
in_ns "$ns_nat" ip route add default via 10.0.0.1

in_ns "$ns_vpc" ip address add 10.0.128.1/20 dev to-private
in_ns "$ns_vpc" ip address add 10.0.0.1/32 dev to-primary
in_ns "$ns_vpc" ip address add 192.0.2.1/30 dev to-internet
for link in to-private to-primary to-internet; do in_ns "$ns_vpc" ip link set "$link" up; done
in_ns "$ns_vpc" ip route add 10.0.0.30/32 dev to-primary
in_ns "$ns_vpc" ip route add default via 192.0.2.2
# The private route table: the VPC's own addresses first, everything else to the NAT's fixed interface (unreachable
# until it is attached).
in_ns "$ns_vpc" ip rule add priority 100 iif to-private lookup main suppress_prefixlength 0
in_ns "$ns_vpc" ip rule add priority 101 iif to-private lookup 100
in_ns "$ns_vpc" ip route add unreachable default table 100
in_ns "$ns_vpc" nft --file - <<'EOF'
table ip source_dest_check {
  chain from_primary {
    type filter hook prerouting priority raw; policy accept;
    iifname "to-primary" ip saddr != 10.0.0.30 drop
  }

  chain to_primary {
    type filter hook postrouting priority filter; policy accept;
    oifname "to-primary" ip daddr != 10.0.0.30 drop
  }
}
EOF

in_ns "$ns_internet" ip address add 192.0.2.2/30 dev to-vpc
in_ns "$ns_internet" ip address add "$server/32" dev lo
in_ns "$ns_internet" ip link set to-vpc up
in_ns "$ns_internet" ip route add default via 192.0.2.1

# Counts what reaches the private host's listener from outside the VPC.
in_ns "$ns_private" nft --file - <<'EOF'
table ip probe {
  counter from_internet {}

  chain input {
    type filter hook input priority filter; policy accept;
    ip saddr != 10.0.0.0/16 tcp dport 8081 counter name from_internet
  }
}
EOF

# shellcheck disable=SC2016 # $SOCAT_PEERADDR is expanded by the shell socat starts per connection
in_ns "$ns_internet" socat "TCP-LISTEN:8080,bind=$server,reuseaddr,fork" SYSTEM:'echo $SOCAT_PEERADDR' &
# shellcheck disable=SC2016
in_ns "$ns_private" socat TCP-LISTEN:8081,bind=10.0.128.10,reuseaddr,fork SYSTEM:'echo $SOCAT_PEERADDR' &
wait_listening "$ns_internet" "$server" 8080
wait_listening "$ns_private" 10.0.128.10 8081

if connect "$ns_private" "$server" 8080 >/dev/null 2>&1; then
  fail "before the script, the private subnet cannot reach the internet"
else
  pass "before the script, the private subnet cannot reach the internet"
fi

configure_nat &
configure_pid=$!
sleep 1
ip link add name fixed netns "$ns_nat" address "$fixed_mac" type veth peer name to-fixed netns "$ns_vpc"
in_ns "$ns_vpc" ip address add 10.0.0.1/32 dev to-fixed
in_ns "$ns_vpc" ip link set to-fixed up
in_ns "$ns_vpc" ip route add 10.0.0.20/32 dev to-fixed
in_ns "$ns_vpc" ip route replace default via 10.0.0.20 dev to-fixed table 100
if wait "$configure_pid"; then
  pass "configure waits for the fixed interface to appear and succeeds"
else
  fail "configure waits for the fixed interface to appear and succeeds"
fi

seen=$(connect "$ns_private" "$server" 8080 || true)
if [ "$seen" = 10.0.0.30 ]; then
  pass "a private host reaches the server: in through the fixed interface, out through the primary as its address ($seen), replies back through the fixed interface"
else
  fail "a private host reaches the server through the fixed interface and the primary (saw: '${seen:-no connection}')"
fi

seen=$(connect "$ns_nat" "$server" 8080 || true)
if [ "$seen" = 10.0.0.30 ]; then
  pass "the NAT's own traffic leaves through its primary interface ($seen)"
else
  fail "the NAT's own traffic leaves through its primary interface (saw: '${seen:-no connection}')"
fi

seen=$(connect "$ns_nat" 10.0.128.10 8081 || true)
if [ "$seen" = 10.0.0.30 ]; then
  pass "the NAT's own traffic to a private host leaves through its primary interface too ($seen)"
else
  fail "the NAT's own traffic to a private host leaves through its primary interface too (saw: '${seen:-no connection}')"
fi

# The internet gets a route to the private subnet through the NAT's fixed interface, which has no
# source/destination check, as a host next to it could have.
in_ns "$ns_vpc" ip route add 10.0.128.0/20 via 10.0.0.20 dev to-fixed table 102
in_ns "$ns_vpc" ip rule add priority 102 iif to-internet lookup 102
if [ "$(connect "$ns_vpc" 10.0.128.10 8081 || true)" != 10.0.128.1 ]; then
  fail "the private host's listener answers from inside the VPC"
elif connect "$ns_internet" 10.0.128.10 8081 >/dev/null 2>&1; then
  fail "a connection from the internet to the private host fails"
elif ! in_ns "$ns_private" nft list counter ip probe from_internet | grep -q 'packets 0 '; then
  fail "nothing from the internet reaches the private host (its listener saw: $(in_ns "$ns_private" nft list counter ip probe from_internet | grep -o 'packets [0-9]*'))"
else
  pass "nothing from the internet reaches the private host through the NAT (its listener answers from inside)"
fi

# A reboot runs the script again: same rules and routes, not twice as many, and still working.
if configure_nat >/dev/null 2>&1 &&
  [ "$(in_ns "$ns_nat" ip rule list | grep -c 'lookup 4242')" -eq 1 ] &&
  [ "$(in_ns "$ns_nat" ip route show table 4242 | grep -c 'via 10.0.0.1 dev fixed')" -eq 2 ] &&
  [ "$(in_ns "$ns_nat" nft list table ip relay_nat | grep -c masquerade)" -eq 1 ] &&
  [ "$(connect "$ns_private" "$server" 8080 || true)" = 10.0.0.30 ]; then
  pass "running configure again changes nothing"
else
  fail "running configure again changes nothing"
fi

if output=$(configure_nat NAT_INTERFACE_MAC=02:00:00:00:00:99 NAT_INTERFACE_TIMEOUT=1 2>&1); then
  fail "configure fails clearly without the fixed interface"
elif [[ $output == *"no interface with MAC 02:00:00:00:00:99 after 1 s"* ]]; then
  pass "configure fails clearly without the fixed interface"
else
  fail "configure fails clearly without the fixed interface (said: $output)"
fi

if output=$(configure_nat --in "$ns_bare" 2>&1); then
  fail "configure fails clearly without the primary interface's default route"
elif [[ $output == *"no default route in the main table"* ]]; then
  pass "configure fails clearly without the primary interface's default route"
else
  fail "configure fails clearly without the primary interface's default route (said: $output)"
fi

if output=$(configure_nat NAT_PRIVATE_CIDRS="10.0.128.0/20 0.0.0.0/0;" 2>&1); then
  fail "configure refuses a malformed CIDR"
elif [[ $output == *"'0.0.0.0/0;' is not an IPv4 CIDR"* ]]; then
  pass "configure refuses a malformed CIDR"
else
  fail "configure refuses a malformed CIDR (said: $output)"
fi

echo "test-nat: $failures failed"
[ "$failures" -eq 0 ]
