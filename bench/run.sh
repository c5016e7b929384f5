#!/usr/bin/env bash
# Runs the whole JCache benchmark matrix (get, put, putIfAbsent, getAll x 1 and 2 threads x
# byValue and byReference x ringstore, caffeine, ehcache, ri) and prints the Markdown tables of
# bench/README.md. About 10 minutes on 2 cores. JMH JSON and table.md go to bench/target/jmh
# (or $OUT). Extra arguments go to io.ringstore.bench.Matrix, e.g.
#   bench/run.sh --providers ringstore,caffeine --benchmarks get,put --threads 1
#   bench/run.sh --prof gc            # adds bytes/op (gc.alloc.rate.norm) to the output
# SKIP_BUILD=1 reuses bench/target/benchmarks.jar; JAVA=/path/to/java picks the JVM.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -pl bench package -DskipTests
fi
exec "${JAVA:-java}" -cp bench/target/benchmarks.jar io.ringstore.bench.Matrix \
  --out "${OUT:-bench/target/jmh}" "$@"
