#!/usr/bin/env bash
# Builds at CI scale, end to end, and the same document made by other tools.
#
#   bash bench/run.sh                 # N = 1, 100, 1000; -j default
#   NS="100 1000" JOBS="1 2" bash bench/run.sh
#
# For each N: `python3 bench/gen-counties.py N DIR` (one 经验材料 per county
# plus the overview), then `wengao build DIR -f docx,pdf --force` as a cold
# process under /usr/bin/time -v (wall, user + sys, max RSS), then the same
# build again with nothing changed. JOBS: `-j` values to time besides the
# default (one worker per core). Then the comparison (bench/compare.py) on
# the 100 counties' experience material, rendered to Markdown by wengao:
# Typst (PyPI `typst`, one compiler in one process), docxtpl (one process)
# then LibreOffice (one `soffice --convert-to pdf` over all the files), and
# pandoc (one process per file). Prints Markdown tables; everything is
# written to a temporary folder that is removed at the end.
#
# Needs: cargo, python3; optional: `pip install typst docxtpl`, LibreOffice
# (`soffice`), `apt-get install -y pandoc`, the Fandol fonts
# (scripts/install-fandol.sh; FANDOL=DIR if elsewhere).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NS=${NS:-"1 100 1000"}
JOBS=${JOBS:-""}
FANDOL=${FANDOL:-/usr/local/share/fonts/fandol}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
BIN=$ROOT/target/release/wengao

# timed LABEL CMD... → one table row from /usr/bin/time -v
timed() {
    local label=$1
    shift
    /usr/bin/time -v "$@" >"$WORK/stdout" 2>"$WORK/time" || { cat "$WORK/time" >&2; exit 1; }
    python3 - "$label" "$WORK/time" "$WORK/stdout" <<'PY'
import re, sys
label, t, out = sys.argv[1], open(sys.argv[2]).read(), open(sys.argv[3]).read()
def f(name):
    return re.search(re.escape(name) + r":\s*(.+)", t).group(1).strip()
wall = f("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":")
wall = sum(float(x) * 60 ** i for i, x in enumerate(reversed(wall)))
cpu = float(f("User time (seconds)")) + float(f("System time (seconds)"))
rss = int(f("Maximum resident set size (kbytes)")) / 1024
summary = (out.strip().splitlines() or [""])[-1]
docs = re.search(r"built (\d+) document", summary)
built = int(docs.group(1)) if docs else 0
per = f"{cpu / built * 1000:.1f}" if built else "–"
print(f"| {label} | {wall:.2f} | {cpu:.2f} | {per} | {rss:.1f} | {summary} |")
PY
}

echo "## wengao build, cold process, DOCX + PDF"
echo
echo "| project | wall s | user + sys s | CPU ms / built document | peak RSS MiB | summary line |"
echo "|---|---:|---:|---:|---:|---|"
for n in $NS; do
    dir=$WORK/c$n
    python3 bench/gen-counties.py "$n" "$dir" >/dev/null
    timed "N=$n, -j default" "$BIN" build "$dir" -f docx,pdf --force
    for j in $JOBS; do
        timed "N=$n, -j $j" "$BIN" build "$dir" -f docx,pdf --force -j "$j"
    done
    timed "N=$n, nothing changed" "$BIN" build "$dir" -f docx,pdf
done

# The comparison documents: the 100 counties' experience material as wengao
# renders it (Markdown), the input of every other tool.
echo
echo "## The same document (one county's 经验材料), batches of 100"
echo
dir=$WORK/cmp
python3 bench/gen-counties.py 100 "$dir" >/dev/null
"$BIN" build "$dir" -f md --force >/dev/null
start=$(date +%s%N)
"$BIN" build "$dir" -f docx,pdf --force >/dev/null
t=$((($(date +%s%N) - start) / 1000000))
echo "| tool | what | documents | wall s | CPU s | CPU ms / document | rate |"
echo "|---|---|---:|---:|---:|---:|---:|"
python3 - "$t" <<'PY'
import sys
ms = int(sys.argv[1])
print(f"| wengao (this build) | DOCX + PDF of each, one process (`wengao build -f docx,pdf`, incl. the overview) | 101 | {ms / 1000:.2f} | – | – | {101 / (ms / 1000):.1f} docs/s |")
PY
python3 bench/compare.py "$dir/out" "$WORK/compare" "$FANDOL"

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
