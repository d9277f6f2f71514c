#!/usr/bin/env bash
# Host time per IPC of this working tree against commit REF (default b7dfb5c, the commit before the trace
# of execution), with CpuTimeWindows (median thread-CPU time over windows of the ping-pong), the two builds
# run alternately RUNS times (default 3) so that a change in the machine's load hits both alike.
#   benchmarks/trace-off-cost.sh [REF] [SIZE] [RUNS]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ref="${1:-b7dfb5c}"; size="${2:-8}"; runs="${3:-3}"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/l3wb-speed.XXXXXX")"
trap 'git -C "$root" worktree remove --force "$tmp/base" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
harness=benchmarks/src/main/java/org/l3wb/benchmarks/CpuTimeWindows.java
git -C "$root" worktree add --detach "$tmp/base" "$ref" >/dev/null 2>&1
cp "$root/$harness" "$tmp/base/$harness"
for tree in "$tmp/base" "$root"; do
    (cd "$tree" && mvn -q -B -o package -DskipTests -pl benchmarks -am >&2)
done
cp "$tmp/base/benchmarks/target/benchmarks.jar" "$tmp/before.jar"
cp "$root/benchmarks/target/benchmarks.jar" "$tmp/after.jar"
for i in $(seq "$runs"); do
    for which in before after; do
        printf '%-6s ' "$which"
        java -cp "$tmp/$which.jar" org.l3wb.benchmarks.CpuTimeWindows "$size"
    done
done
