#!/usr/bin/env bash
# The engine's layers (docs/architecture.md, "Layers"), checked two ways:
#  - tools/check-layers.py passes on engine/ and fails, naming the file, the line and the rule, on
#    fixtures that break the layers: an include up a layer (quoted or in angle brackets), a cycle
#    of includes within a layer (through an include written beside its file), recording
#    using live (side by side), and a layer using physics or physics using a layer other than
#    core, transport and plant;
#  - programs that only simulate link neither libmosquitto (the live layer) nor HDF5 (the
#    recording layer) nor Bullet (physics), while linetwin, which records, subscribes and audits,
#    links all of them (Bullet's double build only): proof that the check below sees them.
# Usage: layers_test.sh SOURCE_DIR LINETWIN HEADLESS_PROGRAM...
set -u
root=$1
linetwin=$2
shift 2
failures=0
pass() { :; }
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}
checker=(/usr/bin/python3 "$root/tools/check-layers.py")

out=$("${checker[@]}" "$root/engine" 2>&1)
rc=$?
[ "$rc" -eq 0 ] && pass || fail "the engine breaks its layers (exit $rc): $out"

# expect_refused FIXTURE TEXT: the check exits 1 and says TEXT.
expect_refused() {
  local fixture=$root/tests/layers/$1 text=$2 out rc
  out=$("${checker[@]}" "$fixture" 2>&1)
  rc=$?
  if [ "$rc" -eq 1 ] && grep -qF -- "$text" <<<"$out"; then pass; else
    fail "$1: expected exit 1 and '$text', got exit $rc: $out"
  fi
}
expect_refused upward_include "core/clock.hpp:4: includes plant/line.hpp, a header of 'plant', which 'core' may not use"
expect_refused upward_include "core/shift_clock.hpp:4: includes plant/line.hpp, a header of 'plant', which 'core' may not use"
expect_refused include_cycle "closing a cycle: plant/run/flow.hpp -> plant/run/stops.hpp -> plant/run/part.hpp -> plant/run/flow.hpp"
expect_refused side_by_side "recording/writer.hpp:4: includes live/subscriber.hpp, a header of 'live', which 'recording' may not use"
expect_refused physics_leaf "plant/run/flow.hpp:4: includes physics/audit.hpp, a header of 'physics', which 'plant' may not use"
expect_refused physics_leaf "io/report.hpp:4: includes physics/audit.hpp, a header of 'physics', which 'io' may not use"
expect_refused physics_leaf "physics/world.hpp:4: includes io/report.hpp, a header of 'io', which 'physics' may not use; it may include core, transport, plant, physics"
physics_out=$("${checker[@]}" "$root/tests/layers/physics_leaf" 2>&1)
grep -qF "physics/audit.hpp:4" <<<"$physics_out" \
  && fail "physics_leaf: physics including plant was refused: $physics_out" || pass

# needs PROGRAM: the shared libraries it loads, by name.
needs() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
for library in libmosquitto libhdf5; do
  needs "$linetwin" | grep -q "^$library" && pass \
    || fail "linetwin does not load $library: the check cannot see it ($(needs "$linetwin" | tr '\n' ' '))"
done
# Bullet (the physics layer) likewise: linetwin, which audits, loads the double build and never
# the float one; the programs that only simulate load neither. LINETWIN_PHYSICS=1 in the
# environment says the build has the layer.
if [ "${LINETWIN_PHYSICS:-0}" = 1 ]; then
  needs "$linetwin" | grep -q "^libBulletCollision-float64" && pass \
    || fail "linetwin does not load Bullet's double build: the check cannot see it"
  needs "$linetwin" | grep -qE "^lib(BulletCollision|LinearMath)\.so" \
    && fail "linetwin loads Bullet's float build: $(needs "$linetwin" | tr '\n' ' ')" || pass
fi
for program in "$@"; do
  loaded=$(needs "$program" | grep -E '^(libmosquitto|libhdf5|libBullet|libLinearMath)' | tr '\n' ' ')
  [ -z "$loaded" ] && pass || fail "$(basename "$program") simulates only, yet loads $loaded"
done

[ "$failures" -eq 0 ] && echo "layers: all checks passed" || exit 1
