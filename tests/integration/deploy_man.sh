#!/usr/bin/env bash
# The man pages render without a single groff or man warning, name what
# their file name says, and document exactly the options each built
# program shows in its -h output (and no others in their SYNOPSIS).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
: "${BUILD:?}" "${SRC:?}"

command -v man >/dev/null || skip "man not installed (Debian package man-db)"
command -v groff >/dev/null || skip "groff not installed (Debian package groff-base)"
tmp=$(mktemp -d /tmp/dnp3d-deploy-man.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

pages=(dnp3d.8 dnp3d.conf.5 dnp3-events.1 dnp3-master.1 dnp3-update.1 dnp3-mqtt.1
    dnp3-status.1)
for page in "${pages[@]}"; do
	f=$SRC/deploy/man/$page
	[ -f "$f" ] || fail "missing man page $page"
	warn=$(LC_ALL=C MANWIDTH=80 timeout 30 man --warnings -l "$f" 2>&1 >"$tmp/out")
	[ -z "$warn" ] || fail "$page: man warnings: $warn"
	warn=$(LC_ALL=C timeout 30 groff -mandoc -ww -z "$f" 2>&1)
	[ -z "$warn" ] || fail "$page: groff warnings: $warn"
	name=${page%.*} section=${page##*.}
	upper=$(echo "$name" | tr '[:lower:]' '[:upper:]')
	head -1 "$tmp/out" | grep -q "^$upper($section)" ||
	    fail "$page: header is not $upper($section): $(head -1 "$tmp/out")"
	grep -A1 '^NAME' "$tmp/out" | grep -q "^ *$name -- " ||
	    fail "$page: NAME section does not name $name"
	[ "$(wc -l < "$tmp/out")" -gt 30 ] || fail "$page: under 30 lines"
	echo "ok: $page renders cleanly ($(wc -l < "$tmp/out") lines)"
done

# Options: those in "PROG -h" against the .Fl of the page.
checked=0
for prog in dnp3d dnp3-events dnp3-master dnp3-update dnp3-mqtt dnp3-status; do
	bin=$(find "$BUILD/listener" "$BUILD/tools" -name "$prog" -type f \
	    -perm -u+x 2>/dev/null | head -1)
	if [ -z "$bin" ]; then
		echo "note: $prog not built, its options not compared"
		continue
	fi
	page=$(ls "$SRC/deploy/man/$prog".[18])
	timeout 10 "$bin" -h >"$tmp/help" 2>&1 || true
	python3 - "$tmp/help" "$page" <<'PY' || fail "$prog: -h and $(basename "$page") disagree"
import re, sys
help_text = open(sys.argv[1]).read()
page = open(sys.argv[2]).read()
opt = re.compile(r"(?<![\w-])(--?[A-Za-z][A-Za-z0-9-]*)")
in_help = set()
for o in opt.findall(help_text):
    # "-hv" is the flag group -h -v
    in_help.update([o] if o.startswith("--") else ["-" + c for c in o[1:]])
fl = set()
synopsis = set()
in_syn = False
for line in page.splitlines():
    if line.startswith(".Sh"):
        in_syn = line.strip() == ".Sh SYNOPSIS"
    for m in re.finditer(r"\bFl (-?[A-Za-z][A-Za-z0-9-]*)", line):
        o = m.group(1)
        names = ["--" + o[1:]] if o.startswith("-") else ["-" + c for c in o]
        fl.update(names)
        if in_syn:
            synopsis.update(names)
    # ".Fl -name" after a ", " renders as --name too
undocumented = sorted(in_help - fl)
unknown = sorted(synopsis - in_help)
if undocumented:
    print("in -h but not in the page:", " ".join(undocumented))
if unknown:
    print("in the SYNOPSIS but not in -h:", " ".join(unknown))
sys.exit(1 if undocumented or unknown else 0)
PY
	echo "ok: $prog options match $(basename "$page")"
	checked=$((checked + 1))
done
[ -x "$BUILD/listener/dnp3d" ] && [ $checked -eq 0 ] && fail "no program compared"
echo "PASS: ${#pages[@]} pages render cleanly, $checked programs' options documented"
