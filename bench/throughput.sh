#!/usr/bin/env bash
# Throughput with real office fonts (issue 20): every figure of
# bench/README.md § Throughput with the Fandol fonts, in one run.
#
#   bash bench/throughput.sh            # RUNS=5 N=100
#   RUNS=9 N=100 bash bench/throughput.sh
#   BIN=/path/to/wengao bash bench/throughput.sh   # another build (no cargo build)
#   PEERS=0 bash bench/throughput.sh                # wengao only
#
# 1. Cold single build: the project `wengao init --kind experience` writes
#    (the 5-page 经验材料), `wengao build -f docx,pdf --force`, RUNS times.
# 2. Matrix: the same project as a `[matrix]` of N counties
#    (bench/gen-experience-matrix.py: each county's own name, leaders and
#    figures, shared records), one `wengao build -f docx,pdf --force`
#    process, RUNS times each with -j 2 (one worker per core here) and -j 1.
# 3. The peers on the same N documents, as wengao renders them to Markdown
#    (bench/compare.py: Typst, docxtpl, LibreOffice, pandoc; the missing
#    ones are named in the table).
#
# CPU time is user + system from wait4 (bench/cpu_time.py), medians of
# RUNS; wall times and rates depend on what else the machine runs, so the
# script prints the load average with the results.
#
# Needs: cargo, python3, the Fandol fonts (scripts/install-fandol.sh;
# FANDOL=DIR if elsewhere); optional: `pip install typst docxtpl`,
# LibreOffice (`soffice`), `apt-get install -y pandoc`.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-5}
N=${N:-100}
FANDOL=${FANDOL:-/usr/local/share/fonts/fandol}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN=$ROOT/target/release/wengao
fi
fc-list 2>/dev/null | grep -i fandol >/dev/null || echo "warning: the Fandol fonts are not installed (scripts/install-fandol.sh): the figures are not those of issue 20" >&2

single=$WORK/single
"$BIN" init "$single" --kind experience >/dev/null
matrix=$WORK/matrix
"$BIN" init "$matrix" --kind experience >/dev/null
python3 bench/gen-experience-matrix.py "$N" "$matrix"
"$BIN" build "$matrix" -f docx,pdf --force >/dev/null 2>&1 # warm the page cache

# row LABEL DOCS CMD... → | label | CPU ms median (min) | CPU ms / doc | wall ms median (min) | docs/s | peak RSS MiB |
row() {
    local label=$1 docs=$2
    shift 2
    read -r cpu cpu_min wall wall_min rss < <(python3 bench/cpu_time.py "$RUNS" "$@")
    python3 - "$label" "$docs" "$cpu" "$cpu_min" "$wall" "$wall_min" "$rss" <<'PY'
import sys
label, docs = sys.argv[1], int(sys.argv[2])
cpu, cpu_min, wall, wall_min, rss = map(float, sys.argv[3:])
print(f"| {label} | {cpu:.0f} ({cpu_min:.0f}) | {cpu / docs:.1f} | {wall:.0f} ({wall_min:.0f}) | "
      f"{docs / (wall / 1000):.1f} ({docs / (wall_min / 1000):.1f}) | {rss:.1f} |")
PY
}

echo "## wengao, cold processes, DOCX + PDF (medians of $RUNS runs, min in brackets)"
echo
echo "| build | CPU ms | CPU ms / document | wall ms | documents / s | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|"
row "single 5-page 经验材料" 1 "$BIN" build "$single" -f docx,pdf --force
row "matrix of $N, -j 2" "$N" "$BIN" build "$matrix" -f docx,pdf --force -j 2
row "matrix of $N, -j 1" "$N" "$BIN" build "$matrix" -f docx,pdf --force -j 1
echo
pdf=$matrix/out/k0000/experience.pdf
echo "PDF sizes: single $(($(stat -c %s "$single/out/experience.pdf") / 1024)) KiB; matrix $(find "$matrix/out" -name experience.pdf -printf '%s\n' | sort -n | awk 'NR==1{lo=$1} {hi=$1} END {printf "%d–%d KiB", lo/1024, hi/1024}'); pages $(python3 -c "import re,sys; print(len(re.findall(rb'/Type\s*/Page[^s]', open(sys.argv[1],'rb').read())))" "$pdf")"
echo

[ "${PEERS:-1}" = 0 ] && exit 0
echo "## The same $N documents, other tools (wall and CPU of one batch)"
echo
"$BIN" build "$matrix" -f md --force >/dev/null 2>&1
echo "| tool | what | documents | wall s | CPU s | CPU ms / document | rate |"
echo "|---|---|---:|---:|---:|---:|---:|"
read -r cpu _ wall _ _ < <(python3 bench/cpu_time.py 1 "$BIN" build "$matrix" -f docx,pdf --force -j 2)
python3 - "$N" "$cpu" "$wall" <<'PY'
import sys
n, cpu, wall = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
print(f"| wengao (this build) | DOCX + PDF of each, one process (`wengao build -f docx,pdf -j 2`) | {n} | "
      f"{wall / 1000:.2f} | {cpu / 1000:.2f} | {cpu / n:.1f} | {n / (wall / 1000):.1f} docs/s |")
PY
python3 bench/compare.py "$matrix/out" "$WORK/compare" "$FANDOL"

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(uname -sr); load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
