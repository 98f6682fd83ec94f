# Shared by the shell tests of the `linetwin` CLI (source it after setting $linetwin): a work
# directory removed on exit, pass/fail counting, expect_error, a scene with a long id, and the
# closing verdict.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0

pass() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# expect_error CODE PATTERN -- ARGS: runs linetwin ARGS, wants exit CODE and PATTERN on stderr.
expect_error() {
  local code=$1 pattern=$2
  shift 3
  "$linetwin" "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" -ne "$code" ]; then
    fail "linetwin $* exited $rc, expected $code; stderr: $(cat "$work/err")"
  elif ! grep -qE -- "$pattern" "$work/err"; then
    fail "linetwin $*: stderr lacks /$pattern/: $(cat "$work/err")"
  else
    pass
  fi
}

# long_id_scene FILE BYTES: writes to FILE a scene whose one station has an id of BYTES bytes,
# fed by an unlimited supply, and prints that id.
long_id_scene() {
  local id
  id=$(printf 'S%.0s' $(seq "$2"))
  cat >"$1" <<YAML
linetwin_scene: 1
elements:
  - {id: in, type: source, supply: unlimited, to: $id}
  - {id: $id, type: station, processing: 30s, to: out}
  - {id: out, type: sink}
YAML
  echo "$id"
}

# Prints the counts (with an optional label) and exits 0 only if nothing failed.
# Whether this build simulates SCENE: one without the physics layer (LINETWIN_PHYSICS=0 in the
# environment, as tests/cli/CMakeLists.txt sets it) refuses a scene with a physics conveyor.
simulates() { [ "${LINETWIN_PHYSICS:-1}" != 0 ] || ! grep -q "mode: physics" "$1"; }

finish_checks() {
  echo "${1:+$1: }$passes passed, $failures failed"
  [ "$failures" -eq 0 ]
  exit
}
