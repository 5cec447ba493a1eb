# Network-namespace test hosts (sourced after lib.sh).
#
# Topology, all of it inside namespaces this file creates (nothing in the
# host's own namespace, so nothing can route to the host's interfaces):
#
#   d3t-srv (server) --veth--+
#   d3t-m1  (master) --veth--+-- bridge br0 in d3t-sw (switch)
#   d3t-mN  (master) --veth--+
#
# Addresses: server 198.18.0.1/24 and fd64:d3::1/64, master i gets
# 198.18.0.(10+i) and fd64:d3::(10+i) (hex); they exist only here.
# NETNS_PREFIX lets concurrent suites use disjoint names.

NETNS_PREFIX=${NETNS_PREFIX:-d3t}
NETNS_SRV_V4=198.18.0.1
NETNS_SRV_V6=fd64:d3::1

netns_v4() { echo "198.18.0.$((10 + $1))"; }
netns_v6() { printf 'fd64:d3::%x\n' $((10 + $1)); }

# Remove every namespace of ours, with the processes inside (also the
# leftovers of a crashed run).
netns_cleanup() {
	local ns pid
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep "^${NETNS_PREFIX}-" || true); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -9 "$pid" 2>/dev/null || true
		done
		ip netns del "$ns" 2>/dev/null || true
	done
}

_netns_host() {	# name v4 v6
	local ns="${NETNS_PREFIX}-$1" sw="${NETNS_PREFIX}-sw"
	ip netns add "$ns"
	ip link add "eth0" netns "$ns" type veth peer name "p-$1" netns "$sw"
	ip -n "$sw" link set "p-$1" master br0 up
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "$2/24" dev eth0
	ip -n "$ns" addr add "$3/64" dev eth0 nodad
	ip -n "$ns" link set eth0 up
}

# netns_setup N: the switch, the server and N masters.
netns_setup() {
	local n=$1 i
	netns_cleanup
	ip netns add "${NETNS_PREFIX}-sw"
	ip -n "${NETNS_PREFIX}-sw" link add br0 type bridge
	ip -n "${NETNS_PREFIX}-sw" link set br0 up
	_netns_host srv "$NETNS_SRV_V4" "$NETNS_SRV_V6"
	for i in $(seq 1 "$n"); do
		_netns_host "m$i" "$(netns_v4 "$i")" "$(netns_v6 "$i")"
	done
	# Wait (bounded) until the server answers a ping from the last master.
	for i in $(seq 1 50); do
		ip netns exec "${NETNS_PREFIX}-m$n" ping -c1 -W1 "$NETNS_SRV_V4" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "namespaces: no connectivity"
}

# in_ns HOST CMD...: run CMD in srv, m1, m2, ...
in_ns() { local h=$1; shift; ip netns exec "${NETNS_PREFIX}-$h" "$@"; }
