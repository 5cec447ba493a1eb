# Helpers for the mqtt_*.sh tests (sourced after lib.sh and
# lib_listener.sh): a mosquitto broker of the test's own on 127.0.0.1 and
# a free port, dnp3-mqtt, and subscribers that are known to be
# subscribed before the test goes on. Every wait is bounded; processes
# are stopped by pid.

MQTT=$BUILD/tools/dnp3-mqtt/dnp3-mqtt
lw_need_built "$MQTT"
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
[ -x "$MOSQUITTO" ] || skip "mosquitto is needed (Debian package mosquitto)"
command -v mosquitto_sub >/dev/null ||
	skip "mosquitto_sub is needed (Debian package mosquitto-clients)"
command -v jq >/dev/null || skip "jq is needed"

MQ_PORT=$(lw_port)
MQ_PID=
MQ_BRIDGE=
MQ_TLS=		# extra mosquitto.conf lines and mosquitto_pub/sub options
MQ_CLIENT_TLS=()
# The bridge runs as nobody: it must reach $LW_TMP/run/bus.ipc.
chmod 711 "$LW_TMP"

# mq_broker_start: mosquitto with a persistent store in $LW_TMP.
mq_broker_start() {
	local n=$(( ${MQ_STARTS:-0} + 1 )) i
	MQ_STARTS=$n
	cat >"$LW_TMP/mosquitto.conf" <<CONF
listener $MQ_PORT 127.0.0.1
allow_anonymous true
user nobody
persistence true
persistence_location $LW_TMP/mq/
$MQ_TLS
CONF
	mkdir -p "$LW_TMP/mq" && chown nobody "$LW_TMP/mq"
	"$MOSQUITTO" -c "$LW_TMP/mosquitto.conf" >"$LW_TMP/mosquitto.$n.log" 2>&1 &
	MQ_PID=$!
	LW_BG+=($MQ_PID)
	for i in $(seq 1 "$WAIT"); do
		python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
		    "$MQ_PORT" 2>/dev/null && return 0
		sleep 0.1
	done
	fail "mosquitto did not start: $(cat "$LW_TMP/mosquitto.$n.log")"
}

mq_broker_stop() {
	kill -TERM "$MQ_PID"
	wait_pid "$MQ_PID" "$WAIT" "mosquitto"
	MQ_PID=
}

# mq_bridge_start ARGS...: dnp3-mqtt as root told to become nobody, until
# it is on the bus and connected to the broker.
mq_bridge_start() {
	"$MQTT" -v --bus "ipc://$LW_TMP/run/bus.ipc" --user nobody "$@" \
	    2>>"$LW_TMP/bridge.log" &
	MQ_BRIDGE=$!
	LW_BG+=($MQ_BRIDGE)
	mq_wait_bridge "connected to the broker"
	mq_wait_bridge "joined the bus"
}

# mq_wait_bridge PATTERN: until the bridge's log has it ($WAIT).
mq_wait_bridge() {
	wait_for "$LW_TMP/bridge.log" "$1" "$WAIT" ||
	    fail "dnp3-mqtt: no '$1': $(cat "$LW_TMP/bridge.log")"
}

mq_pub() {
	timeout 10 mosquitto_pub -h 127.0.0.1 -p "$MQ_PORT" "${MQ_CLIENT_TLS[@]}" "$@"
}

# mq_sub NAME TOPIC...: mosquitto_sub -v in the background into
# $LW_TMP/NAME.out, returning once it is subscribed (a marker it
# subscribed to came back).
mq_sub() {
	local name=$1 t args=() i
	shift
	for t in "$@" "sync/$name"; do args+=(-t "$t"); done
	timeout -k 2 120 mosquitto_sub -h 127.0.0.1 -p "$MQ_PORT" \
	    "${MQ_CLIENT_TLS[@]}" -v "${args[@]}" >"$LW_TMP/$name.out" 2>&1 &
	LW_BG+=($!)
	for i in $(seq 1 150); do
		mq_pub -t "sync/$name" -m x
		wait_for "$LW_TMP/$name.out" "^sync/$name x" 2 && return 0
	done
	fail "mosquitto_sub $name did not subscribe: $(cat "$LW_TMP/$name.out")"
}

# mq_json NAME TOPIC: the payloads seen on TOPIC, one per line.
mq_json() {
	sed -n "s|^$2 ||p" "$LW_TMP/$1.out"
}

# mq_standin SCRIPT: a stand-in broker (python, with lib_mqttstandin.py)
# on $MQ_PORT, its output in $LW_TMP/broker.out, until it listens.
mq_standin() {
	PYTHONPATH=$(dirname "${BASH_SOURCE[0]}") python3 -B "$1" "$MQ_PORT" \
	    >"$LW_TMP/broker.out" 2>&1 &
	LW_BG+=($!)
	wait_for "$LW_TMP/broker.out" "^listening" "$WAIT" ||
		fail "the stand-in broker did not start: $(cat "$LW_TMP/broker.out")"
}

# mq_dnp3d DATABASE [EVENT_BUFFER]: dnp3d on 127.0.0.1:$port (port set
# here) with one outstation, feeder-1 (link address 7, master address 1,
# its master 127.0.0.2).
mq_dnp3d() {
	port=$(lw_port)
	cat >"$LW_TMP/dnp3d.conf" <<CONF
runtime_dir = "$LW_TMP/run";
user = "nobody";
servers = ( {
  listen = "127.0.0.1:$port";
  outstations = ( { name = "feeder-1"; filter = "127.0.0.2"; address = 7;
    master = 1; ${2:+event_buffer = { $2 \};}
    database = { $1 }; } );
} );
CONF
	lw_start "$LW_TMP/dnp3d.conf"
}

# mq_read_counter: one class 1-3 read by feeder-1's master; the values of
# counter 0's events it got are added to $LW_TMP/events. A read that fails
# fails the test: its events would come again, unconfirmed, on the next.
mq_read_counter() {
	local out rc
	out=$(timeout 60 "$MASTER" -a 7 -b 127.0.0.2 -t "$WAIT_MS" \
	    "127.0.0.1:$port" class 1 2 3 2>&1); rc=$?
	[ "$rc" = 0 ] || fail "class 1-3 read: exit $rc: $out"
	echo "$out" | sed -n 's/^g22v[0-9]* index=0 value=\([0-9]*\) .*/\1/p' \
	    >>"$LW_TMP/events"
}

# mq_read_until VALUE...: master reads ($WAIT at most, 0.1 s apart) until
# counter 0's events include every VALUE; all values read in
# $LW_TMP/events. The caller compares them with what it wants.
mq_read_until() {
	local i
	: >"$LW_TMP/events"
	for i in $(seq 1 "$WAIT"); do
		mq_read_counter
		[ -z "$(comm -23 <(printf '%s\n' "$@" | sort -u) \
		    <(sort -u "$LW_TMP/events"))" ] && return 0
		sleep 0.1
	done
}

# mq_standin_done: until the stand-in broker printed "done" (30 s).
mq_standin_done() {
	wait_for "$LW_TMP/broker.out" "^done" 300 ||
		fail "the stand-in broker did not finish: $(cat "$LW_TMP/broker.out")"
}
