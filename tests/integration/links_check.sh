#!/usr/bin/env bash
# What each program carries, from the build: the root listener links no
# nanomsg and contains no JSON reader (issue 21, finding 12: it parses no
# bus message, the hub does, in its sandbox); the worker links neither
# nanomsg nor any code of the listener (issue 15: the process that parses
# the network carries no code of the privileged one). Fails naming what
# it found. The link address classifier, likewise, carries the core's
# frame parser and no listener code, and the listener has no parser; the
# multi-drop relay too.
set -u
. "$(dirname "$0")/lib.sh"
command -v nm >/dev/null || skip "nm (binutils) is needed"
L=$BUILD/listener/dnp3d W=$BUILD/listener/dnp3d-worker H=$BUILD/listener/dnp3d-hub
for b in "$L" "$W" "$H"; do [ -x "$b" ] || fail "$b not built"; done

# needed BIN: the shared libraries BIN asks for (its ELF NEEDED entries).
needed() { objdump -p "$1" | awk '$1 == "NEEDED" { print $2 }'; }

needed "$L" | grep -q nanomsg && fail "dnp3d links nanomsg: $(needed "$L" | tr '\n' ' ')"
bad=$(nm "$L" | grep -E ' (U|T) (json_load|json_loadb|json_loads|json_loadf|nn_)' )
[ -z "$bad" ] && echo "ok: dnp3d has no JSON reader and no nanomsg" ||
	fail "dnp3d carries a bus parser: $bad"

needed "$W" | grep -q nanomsg && fail "dnp3d-worker links nanomsg"
needed "$W" | grep -q libconfig && fail "dnp3d-worker links libconfig (the loader is the listener's)"
bad=$(nm "$W" | grep -E ' T (config_load|config_free|cfgp_|supervise_|server_|filter_parse|proc_|ledger_|listener_)')
[ -z "$bad" ] && echo "ok: dnp3d-worker carries no listener code" ||
	fail "dnp3d-worker carries listener code: $bad"

needed "$H" | grep -q nanomsg || fail "dnp3d-hub does not link nanomsg: the test looks at the wrong files"

# The link address classifier parses the first frame header, so the
# listener carries no frame parser; the classifier carries the core's
# and nothing of the listener, the bus or TLS.
C=$BUILD/listener/dnp3d-classify
[ -x "$C" ] || fail "$C not built"
nm "$L" | grep -qE ' T (link_parser_feed|crc_dnp_check)$' &&
	fail "dnp3d carries the link frame parser"
nm "$C" | grep -qE ' T link_parser_feed$' ||
	fail "dnp3d-classify does not carry the core's parser: the test looks at the wrong files"
bad=$(needed "$C" | grep -E 'nanomsg|libconfig|jansson|libssl|libcrypto')
[ -z "$bad" ] || fail "dnp3d-classify links $bad"
bad=$(nm "$C" | grep -E ' T (config_load|config_free|cfgp_|supervise_|server_|filter_|proc_|ledger_|listener_)')
[ -z "$bad" ] && echo "ok: dnp3d has no frame parser; dnp3d-classify has the core's, no listener, bus or TLS code" ||
	fail "dnp3d-classify carries listener code: $bad"

# The multi-drop relay parses every frame of its connection: the same
# rule as the classifier (the core's CRC, nothing of the listener).
R=$BUILD/listener/dnp3d-relay
[ -x "$R" ] || fail "$R not built"
nm "$R" | grep -qE ' T (crc_dnp_check|relay_frame_check)$' ||
	fail "dnp3d-relay does not carry the frame check: the test looks at the wrong files"
nm "$L" | grep -qE ' T relay_frame_check$' && fail "dnp3d carries the relay's frame check"
bad=$(needed "$R" | grep -E 'nanomsg|libconfig|jansson|libssl|libcrypto')
[ -z "$bad" ] || fail "dnp3d-relay links $bad"
bad=$(nm "$R" | grep -E ' T (config_load|config_free|cfgp_|supervise_|server_|filter_|proc_|ledger_|listener_|relays_)')
[ -z "$bad" ] && echo "ok: dnp3d-relay has the frame check, no listener, bus or TLS code" ||
	fail "dnp3d-relay carries listener code: $bad"
echo PASS
