#!/usr/bin/env bash
# `make test-nat`: runs the NAT instance's script (terraform/modules/network/nat-instance/relay-nat.sh) as shipped,
# `configure` step, in a network namespace that stands for the NAT instance, and checks what it does with real
# packets. Needs root (network namespaces). Three more namespaces stand for a private subnet, and for the internet
# with the public subnet's router:
#
#   private 10.0.128.10 --> 10.0.128.1 [nat] fixed 10.0.0.20 --> 10.0.0.1 [outside] server 198.51.100.10:8080
#                                            primary 10.0.1.20 --> 10.0.1.1
#
# In a VPC the private subnets' packets reach the NAT through its fixed interface itself; here they arrive on a link
# of their own, and the primary interface's default route (what amazon-ec2-net-utils sets up) is the nat
# namespace's default route. The fixed interface appears only after the script has started, as after an attach,
# and gets its address from the script. The server answers each connection with the address it came from.
# Every run uses its own namespace names and removes them (and what runs in them) on exit, even on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh ip nft socat

[ "$(id -u)" -eq 0 ] || { echo "test-nat: needs root to create network namespaces" >&2; exit 1; }

script=terraform/modules/network/nat-instance/relay-nat.sh
run_id="relay-nat-$$-$RANDOM"
ns_private="$run_id-private"
ns_nat="$run_id-nat"
ns_outside="$run_id-outside"
namespaces=("$ns_private" "$ns_nat" "$ns_outside")
fixed_mac=02:00:00:00:00:20
server=198.51.100.10

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

# Runs the shipped script's configure step in the nat namespace with the settings the user data would give it.
configure_nat() {
  in_ns "$ns_nat" env NAT_INTERFACE_MAC="$fixed_mac" NAT_INTERFACE_ADDRESS=10.0.0.20/24 NAT_SUBNET_ROUTER=10.0.0.1 \
    NAT_PRIVATE_CIDRS="10.0.128.0/20" NAT_INTERFACE_TIMEOUT=10 bash "$script" configure
}

for ns in "${namespaces[@]}"; do
  ip netns add "$ns"
  in_ns "$ns" ip link set lo up
done

# Links are created inside their namespaces, so parallel runs cannot collide on interface names.
ip link add name vpc0 netns "$ns_nat" type veth peer name eth0 netns "$ns_private"
ip link add name primary netns "$ns_nat" type veth peer name eth-primary netns "$ns_outside"

in_ns "$ns_private" ip address add 10.0.128.10/20 dev eth0
in_ns "$ns_private" ip link set eth0 up
in_ns "$ns_private" ip route add default via 10.0.128.1

in_ns "$ns_nat" ip address add 10.0.128.1/20 dev vpc0
in_ns "$ns_nat" ip address add 10.0.1.20/24 dev primary
for link in vpc0 primary; do in_ns "$ns_nat" ip link set "$link" up; done
in_ns "$ns_nat" ip route add default via 10.0.1.1

in_ns "$ns_outside" ip address add 10.0.1.1/24 dev eth-primary
in_ns "$ns_outside" ip address add "$server/32" dev lo
in_ns "$ns_outside" ip link set eth-primary up

# shellcheck disable=SC2016 # $SOCAT_PEERADDR is expanded by the shell socat starts per connection
in_ns "$ns_outside" socat "TCP-LISTEN:8080,bind=$server,reuseaddr,fork" SYSTEM:'echo $SOCAT_PEERADDR' &
in_ns "$ns_private" socat TCP-LISTEN:8081,bind=10.0.128.10,reuseaddr,fork SYSTEM:'echo private' &
wait_listening "$ns_outside" "$server" 8080
wait_listening "$ns_private" 10.0.128.10 8081

if connect "$ns_private" "$server" 8080 >/dev/null 2>&1; then
  fail "before the script, the private subnet cannot reach the internet"
else
  pass "before the script, the private subnet cannot reach the internet"
fi

configure_nat &
configure_pid=$!
sleep 1
ip link add name fixed netns "$ns_nat" address "$fixed_mac" type veth peer name eth-fixed netns "$ns_outside"
in_ns "$ns_outside" ip address add 10.0.0.1/24 dev eth-fixed
in_ns "$ns_outside" ip link set eth-fixed up
if wait "$configure_pid"; then
  pass "configure waits for the fixed interface to appear and succeeds"
else
  fail "configure waits for the fixed interface to appear and succeeds"
fi

seen=$(connect "$ns_private" "$server" 8080 || true)
if [ "$seen" = 10.0.0.20 ]; then
  pass "the private host reaches the server, which sees the NAT's outside address ($seen)"
else
  fail "the private host reaches the server, which sees the NAT's outside address (saw: '${seen:-no connection}')"
fi

seen=$(connect "$ns_nat" "$server" 8080 || true)
if [ "$seen" = 10.0.1.20 ]; then
  pass "the NAT's own traffic keeps leaving through its primary interface ($seen)"
else
  fail "the NAT's own traffic keeps leaving through its primary interface (saw: '${seen:-no connection}')"
fi

# The outside gets a route to the private subnet through the NAT, as an attacker next to it would have.
in_ns "$ns_outside" ip route add 10.0.128.0/20 via 10.0.0.20
if [ "$(connect "$ns_nat" 10.0.128.10 8081 || true)" != private ]; then
  fail "the private host's listener answers from inside the VPC"
elif connect "$ns_outside" 10.0.128.10 8081 >/dev/null 2>&1; then
  fail "a connection from outside to the private host fails"
else
  pass "a connection from outside to the private host fails (its listener answers from inside)"
fi

# A reboot runs the script again: same rules, not twice as many, and still working.
if configure_nat >/dev/null 2>&1 &&
  [ "$(in_ns "$ns_nat" ip rule list | grep -c 'lookup 4242')" -eq 1 ] &&
  [ "$(in_ns "$ns_nat" nft list table ip relay_nat | grep -c masquerade)" -eq 1 ] &&
  [ "$(connect "$ns_private" "$server" 8080 || true)" = 10.0.0.20 ]; then
  pass "running configure again changes nothing"
else
  fail "running configure again changes nothing"
fi

if output=$(in_ns "$ns_nat" env NAT_INTERFACE_MAC=02:00:00:00:00:99 NAT_INTERFACE_ADDRESS=10.0.0.20/24 \
  NAT_SUBNET_ROUTER=10.0.0.1 NAT_PRIVATE_CIDRS=10.0.128.0/20 NAT_INTERFACE_TIMEOUT=1 bash "$script" configure 2>&1); then
  fail "configure fails clearly without the fixed interface"
elif [[ $output == *"no interface with MAC 02:00:00:00:00:99 after 1 s"* ]]; then
  pass "configure fails clearly without the fixed interface"
else
  fail "configure fails clearly without the fixed interface (said: $output)"
fi

if output=$(in_ns "$ns_nat" env NAT_INTERFACE_MAC="$fixed_mac" NAT_INTERFACE_ADDRESS=10.0.0.20/24 \
  NAT_SUBNET_ROUTER=10.0.0.1 NAT_PRIVATE_CIDRS="10.0.128.0/20 0.0.0.0/0;" bash "$script" configure 2>&1); then
  fail "configure refuses a malformed CIDR"
elif [[ $output == *"'0.0.0.0/0;' is not an IPv4 CIDR"* ]]; then
  pass "configure refuses a malformed CIDR"
else
  fail "configure refuses a malformed CIDR (said: $output)"
fi

echo "test-nat: $failures failed"
[ "$failures" -eq 0 ]
