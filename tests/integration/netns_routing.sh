#!/usr/bin/env bash
# Routing by real, distinct source addresses (network namespaces), IPv4 and
# IPv6, on 0.0.0.0:20000 and [::]:20000: exact, CIDR, list and per-octet
# wildcard filters. Every master reaches its own outstation (the link
# status it gets carries that outstation's address), and a host that
# matches no filter is closed and named in the listener's log.
set -uf	# no globbing: "[::]" is data here
. "$(dirname "$0")/lib.sh"
need_root
. "$(dirname "$0")/lib_netns.sh"

nt_init 7	# masters m1..m7 = 198.18.0.11..17, fd64:d3::b..11
S4=$NETNS_SRV_V4
S6=$NETNS_SRV_V6
conf=$(nt_conf '
servers = ( {
  listen = "0.0.0.0:20000";
  outstations = (
    { name = "exact4"; filter = "198.18.0.11"; address = 11; master = 1; },
    { name = "cidr4"; filter = "198.18.0.12/31"; address = 12; master = 1; },
    { name = "list4"; filter = ["198.18.0.14", "198.18.0.15"]; address = 14; master = 1; },
    { name = "wild4"; filter = "198.18.*.16"; address = 16; master = 1; }
  );
}, {
  listen = "[::]:20000";
  outstations = (
    { name = "exact6"; filter = "fd64:d3::b"; address = 21; master = 1; },
    { name = "cidr6"; filter = "fd64:d3::c/127"; address = 22; master = 1; }
  );
} );')
nt_start "$conf"

# expect HOST SERVER ADDR NAME: HOST gets link status from ADDR, and the
# log says outstation NAME took HOST's connection.
expect() {
	local out re
	out=$(nt_client "$1" status "$2" 20000 "$3")
	[ "$out" = "status $3" ] || fail "$1 -> $2: got '$out', want 'status $3'"
	if [ "${2#*:}" != "$2" ]; then
		re="$NAME: info: connected \[$(netns_v6 "${1#m}")\]:[0-9]+ on \[::\]:20000"
	else
		re="$NAME: info: connected $(netns_v4 "${1#m}"):[0-9]+ on 0\.0\.0\.0:20000"
	fi
	nt_wait_log "$re"
	echo "ok: $1 via $2 -> outstation $NAME (link address $3)"
}
n=0
for t in "m1 $S4 11 exact4" "m2 $S4 12 cidr4" "m3 $S4 12 cidr4" \
    "m4 $S4 14 list4" "m5 $S4 14 list4" "m6 $S4 16 wild4" \
    "m1 $S6 21 exact6" "m2 $S6 22 cidr6" "m3 $S6 22 cidr6"; do
	# shellcheck disable=SC2086 # split on purpose (globbing is off)
	set -- $t
	NAME=$4 expect "$1" "$2" "$3"
	n=$((n + 1))
done

# An outstation answers only its own link address.
out=$(nt_client m1 status "$S4" 20000 12)
[ "$out" = timeout ] || fail "exact4 answered for address 12: '$out'"

# Unmatched: m7 on IPv4 (198.18.0.17) and on IPv6 (fd64:d3::11), m4 on IPv6.
r=0
for t in "m7 $S4 $(netns_v4 7) 0.0.0.0" "m7 $S6 [$(netns_v6 7)] [::]" \
    "m4 $S6 [$(netns_v6 4)] [::]"; do
	# shellcheck disable=SC2086 # split on purpose (globbing is off)
	set -- $t
	out=$(nt_client "$1" silent "$2" 20000)
	[ "$out" = closed ] || fail "unmatched $1 -> $2 not closed: '$out'"
	nt_wait_log "rejected $(re "$3"):[0-9]+ on $(re "$4"):20000: no outstation matches"
	echo "ok: $1 via $2 refused, log names $3"
	r=$((r + 1))
done

nt_stop
echo "measured: $n routed connections to 6 outstations, $r unmatched refused"
echo PASS
