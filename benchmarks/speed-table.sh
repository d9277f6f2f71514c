#!/usr/bin/env bash
# Regenerates the README's "Simulator speed" table (between <!-- speed-table:begin --> and
# <!-- speed-table:end -->) from a run of JMH's IpcBenchmark (8 and 4096 bytes: host time per IPC, ratio
# of simulated to host time, simulated instructions per host second) and CpuTimeWindows; the table is
# never written by hand. Extra arguments go to JMH (default: the benchmark's own -f 1 -wi 3 -i 5).
#   benchmarks/speed-table.sh [JMH options, e.g. -f 3]
# Run it on an otherwise idle machine: the table says the load average before the run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -q -B -o package -DskipTests -pl benchmarks -am >&2
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- . ':!README.md' || echo '+changes')"
java -cp benchmarks/target/benchmarks.jar org.l3wb.benchmarks.SpeedTable README.md "$commit" "$@"
