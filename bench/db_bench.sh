#!/usr/bin/env bash
# db_bench-style comparison of Ringstore's lsm storage engine with RocksDB (rocksdbjni): each
# engine runs io.ringstore.bench.db.DbBench in its own JVM, with the same JVM flags, on a fresh
# directory; then io.ringstore.bench.db.DbBenchReport collects the runs' JSON into
# bench/results/<UTC yyyy-mm-dd-HHMM>-dbbench.json and prints the Markdown tables of
# bench/README.md (ratios to RocksDB, the issue's targets), also written to bench/target/dbbench/table.md.
# Benchmarks: fillrandom, readrandom, readmissing, seekrandom, overwrite, compact, fillsync x 1 and 8
# threads; 1M keys by default. Arguments go to DbBench for every engine, e.g.
#   bench/db_bench.sh                                      # the full comparison
#   bench/db_bench.sh --num 100000 --sync_num 1000         # a quick run
#   bench/db_bench.sh --engines rocksdb --num 100000       # one engine (--engines must come first)
#   bench/db_bench.sh --benchmarks fillrandom,readrandom --threads 2
# Environment:
#   SKIP_BUILD=1   reuse bench/target/benchmarks.jar instead of building it (mvn -B -q -pl bench package -DskipTests)
#   JAVA           the java to run (default: java on the PATH)
#   JVM_OPTS       flags for every engine's JVM (default: -Xms2g -Xmx2g --enable-native-access=ALL-UNNAMED)
#   DB_DIR         where the databases go: an existing directory on the disk to measure (not tmpfs);
#                  default a new directory under ${TMPDIR:-/tmp}. Each engine's databases are deleted after
#                  its run unless KEEP_DB=1.
#   OUT            logs, per-engine JSON and table.md (default bench/target/dbbench)
#   RESULTS        the collected JSON (default bench/results/<UTC yyyy-mm-dd-HHMM>-dbbench.json)
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

engines="ringstore,rocksdb"
if [[ "${1:-}" == "--engines" ]]; then
  engines="${2:?--engines needs a comma-separated list, e.g. ringstore,rocksdb}"
  shift 2
elif [[ "${1:-}" == --engines=* ]]; then
  engines="${1#--engines=}"
  shift
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -pl bench package -DskipTests || exit $?
fi
jar=bench/target/benchmarks.jar
[[ -f "$jar" ]] || { echo "db_bench.sh: $jar is missing; build it (or drop SKIP_BUILD=1)" >&2; exit 2; }
java="${JAVA:-java}"
read -r -a jvm_opts <<< "${JVM_OPTS:--Xms2g -Xmx2g --enable-native-access=ALL-UNNAMED}"
stamp="$(date -u +%Y-%m-%d-%H%M)"
out="${OUT:-bench/target/dbbench}"
results="${RESULTS:-bench/results/$stamp-dbbench.json}"
mkdir -p "$out"

if [[ -n "${DB_DIR:-}" ]]; then
  db_root="$(mktemp -d "$DB_DIR/dbbench.XXXXXX")"
else
  db_root="$(mktemp -d "${TMPDIR:-/tmp}/dbbench.XXXXXX")"
fi
cleanup() { [[ "${KEEP_DB:-0}" == 1 ]] || rm -rf "$db_root"; }
trap cleanup EXIT

status=0
jsons=()
IFS=',' read -r -a engine_list <<< "$engines"
for engine in "${engine_list[@]}"; do
  echo "== $engine: $java ${jvm_opts[*]} ... DbBench --engine $engine --dir $db_root/$engine $*"
  rm -f "$out/$engine.json"
  "$java" "${jvm_opts[@]}" -cp "$jar" io.ringstore.bench.db.DbBench \
    --engine "$engine" --dir "$db_root/$engine" --json "$out/$engine.json" "$@" 2>&1 | tee "$out/$engine.log"
  rc=${PIPESTATUS[0]}
  if [[ $rc != 0 ]]; then
    echo "db_bench.sh: $engine exited with status $rc (log: $out/$engine.log)" >&2
    status=1
  fi
  [[ -f "$out/$engine.json" ]] && jsons+=("$out/$engine.json")
  [[ "${KEEP_DB:-0}" == 1 ]] || rm -rf "${db_root:?}/$engine"
  echo
done

if [[ ${#jsons[@]} == 0 ]]; then
  echo "db_bench.sh: no engine produced a result" >&2
  exit 1
fi
"$java" -cp "$jar" io.ringstore.bench.db.DbBenchReport --baseline rocksdb --candidate ringstore \
  --out "$results" --table "$out/table.md" "${jsons[@]}" || status=1
echo "Table: $out/table.md; logs and per-engine JSON: $out"
exit $status
