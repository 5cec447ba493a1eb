# Shared helpers for integration tests (sourced).
# skip MSG: exit 77 (ctest SKIP) -- except in CI, where a skip is a failure.
skip() {
	if [ "${CI:-}" = "true" ]; then
		echo "FAIL (would skip, but CI=true): $*" >&2
		exit 1
	fi
	echo "SKIP: $*" >&2
	exit 77
}
fail() { echo "FAIL: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || skip "needs root (network namespaces)"; }
