#!/usr/bin/env bash
# Cold-process benchmark of `wengao build --force` (DOCX + PDF, and PDF alone) on the
# `wengao init` experience project (5 pages) and a 20-page version of it,
# with Typst compiling an equivalent document side by side when the PyPI
# `typst` package is installed (`pip install typst`). Prints Markdown.
#
#   bash bench/pdf.sh            # 20 timed runs per row (after 3 warm-ups)
#   RUNS=50 bash bench/pdf.sh
#
# Needs: cargo, python3, qpdf + fontTools (bytes breakdown), the Fandol fonts
# (scripts/install-fandol.sh). Uses hyperfine when installed
# (`apt-get install -y hyperfine`), else a bash loop timed with `date +%s%N`.
# Peak RSS: median of 5 runs under /usr/bin/time. Everything is written to a
# temporary folder that is removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS=${RUNS:-20}
WARMUP=3
FANDOL=${FANDOL:-/usr/local/share/fonts/fandol}
NOTO=${NOTO:-/usr/share/fonts/opentype/noto}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cargo build --release --quiet
# BIN=/tmp/wengao-before bash bench/pdf.sh: time another build of wengao.
BIN=${BIN:-$ROOT/target/release/wengao}
# The two projects, exactly as benches/pdf.rs builds them in-process.
cargo bench --quiet --bench pdf -- --write-projects "$WORK" >/dev/null
EXP=$WORK/experience
LONG=$WORK/long

HAVE_HYPERFINE=0
command -v hyperfine >/dev/null && HAVE_HYPERFINE=1

# median of numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "nan"; else if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# time_cmd CMD... → "median_ms min_ms peak_rss_MiB"
time_cmd() {
    local med min rss
    if [ "$HAVE_HYPERFINE" = 1 ]; then
        hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$WORK/hf.json" "$(printf '%q ' "$@")" >/dev/null 2>&1
        read -r med min < <(python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f %.1f" % (r["median"] * 1e3, r["min"] * 1e3))' "$WORK/hf.json")
    else
        for _ in $(seq "$WARMUP"); do "$@" >/dev/null 2>&1; done
        local t0 t1
        for _ in $(seq "$RUNS"); do
            t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
            echo $(((t1 - t0) / 1000))
        done >"$WORK/times"
        med=$(median <"$WORK/times" | awk '{printf "%.1f", $1/1000}')
        min=$(sort -n "$WORK/times" | head -1 | awk '{printf "%.1f", $1/1000}')
    fi
    rss=$(for _ in 1 2 3 4 5; do /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; done | median | awk '{printf "%.1f", $1/1024}')
    echo "$med $min $rss"
}

kib() { [ -f "$1" ] && awk -v b="$(stat -c %s "$1")" 'BEGIN {printf "%.1f", b/1024}' || echo "–"; }
pages() { [ -f "$1" ] && pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ {print $2}' || echo "–"; }

ROWS=()
row() { # name command-summary pdf docx -- CMD...
    local name=$1 what=$2 pdf=$3 docx=$4
    shift 5
    read -r med min rss < <(time_cmd "$@")
    ROWS+=("| $name | \`$what\` | $med | $min | $rss | $(pages "$pdf") | $(kib "$pdf") | $(kib "$docx") |")
}

row "wengao, 5-page sample" "wengao build DIR -f docx,pdf --force" "$EXP/out/experience.pdf" "$EXP/out/experience.docx" -- "$BIN" build "$EXP" -f docx,pdf --force
row "wengao, 5-page sample" "wengao build DIR -f pdf --force" "$EXP/out/experience.pdf" "" -- "$BIN" build "$EXP" -f pdf --force
row "wengao, 20-page" "wengao build DIR -f docx,pdf --force" "$LONG/out/long.pdf" "$LONG/out/long.docx" -- "$BIN" build "$LONG" -f docx,pdf --force
row "wengao, 20-page" "wengao build DIR -f pdf --force" "$LONG/out/long.pdf" "" -- "$BIN" build "$LONG" -f pdf --force

# Font experiments (project configuration only; benches/pdf.rs writes them):
# the 5-page sample with wengao's bundled Noto SC GB 2312 subsets (TrueType)
# and with Noto Serif/Sans CJK SC (CFF with subroutinized charstrings, .ttc)
# named in wengao.toml instead of the Fandol fonts found on this machine.
row "wengao, 5-page, bundled Noto SC GB 2312 (TrueType) named in wengao.toml" "wengao build DIR -f pdf --force" "$WORK/noto-ttf/out/experience.pdf" "" -- "$BIN" build "$WORK/noto-ttf" -f pdf --force
if [ -d "$WORK/noto-cff" ]; then
    row "wengao, 5-page, Noto Serif/Sans CJK SC (CFF) named in wengao.toml" "wengao build DIR -f pdf --force" "$WORK/noto-cff/out/experience.pdf" "" -- "$BIN" build "$WORK/noto-cff" -f pdf --force
fi

# Typst: the same text (wengao's rendered Markdown → bench/md2typ.py), Fandol fonts only.
TYPST_NOTE=""
if python3 -c 'import typst' 2>/dev/null; then
    TV=$(python3 -c 'import importlib.metadata as m; print(m.version("typst"))')
    for p in experience long; do
        "$BIN" build "$WORK/$p" -f md -o "$WORK/md" >/dev/null 2>&1
        python3 "$ROOT/bench/md2typ.py" "$WORK/md/$p.md" "$WORK/$p.typ"
    done
    py() { echo "import typst; typst.compile('$WORK/$1.typ', output='$WORK/$1-typst.pdf', font_paths=['$FANDOL'], ignore_system_fonts=True)"; }
    row "Typst $TV (PyPI), 5-page sample" "python3 -c 'import typst; typst.compile(…)'" "$WORK/experience-typst.pdf" "" -- python3 -c "$(py experience)"
    row "Typst $TV (PyPI), 20-page" "python3 -c 'import typst; typst.compile(…)'" "$WORK/long-typst.pdf" "" -- python3 -c "$(py long)"
    row "(Python start-up + import typst alone)" "python3 -c 'import typst'" "" "" -- python3 -c "import typst"
    # Typst inside Python: the compile call alone in a fresh process (cold, without
    # the interpreter start-up), and repeated in one process with one Compiler
    # (fonts loaded; the file is unchanged, so Typst's memoization reuses the
    # previous layout: an incremental figure, a lower bound).
    TYPST_NOTE=$(python3 - "$WORK" "$FANDOL" "$RUNS" <<'EOF'
import statistics, subprocess, sys, time, typst
work, fandol, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
one = ("import sys, time, typst; t = time.perf_counter(); "
       "typst.compile(sys.argv[1], font_paths=[sys.argv[2]], ignore_system_fonts=True); "
       "print(time.perf_counter() - t)")
out = []
for p in ["experience", "long"]:
    typ = f"{work}/{p}.typ"
    cold = [float(subprocess.run([sys.executable, "-c", one, typ, fandol], check=True, capture_output=True,
                                 text=True).stdout) for _ in range(runs)]
    c = typst.Compiler(typ, font_paths=[fandol], ignore_system_fonts=True)
    for _ in range(3):
        c.compile()
    ts = []
    for _ in range(runs):
        t = time.perf_counter(); c.compile(); ts.append(time.perf_counter() - t)
    out.append(f"| Typst, {p} | {statistics.median(cold) * 1e3:.1f} | {statistics.median(ts) * 1e3:.1f} |")
print("\n".join(out))
EOF
)
else
    ROWS+=("| Typst (PyPI) | TODO: \`pip install typst\`, then re-run | – | – | – | – | – | – |")
fi

echo "## Cold process ($(nproc) cores, $(date +%F); median of $RUNS runs after $WARMUP warm-ups$([ "$HAVE_HYPERFINE" = 1 ] && echo ", hyperfine $(hyperfine --version | awk '{print $2}')" || echo ", bash loop"))"
echo
echo "| document | command | median ms | min ms | peak RSS MiB | PDF pages | PDF KiB | DOCX KiB |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
if [ -n "$TYPST_NOTE" ]; then
    echo
    echo "Typst timed inside Python (median of $RUNS): the compile call alone as the first call in a fresh process,"
    echo "and repeated with one \`typst.Compiler\` on the unchanged file (memoized: a lower bound)."
    echo
    echo "| | first compile in a fresh process, ms | repeated compile, fonts loaded, ms |"
    echo "|---|---:|---:|"
    echo "$TYPST_NOTE"
fi
echo
echo "## Where the PDF bytes go"
ARGS=(--font-dir "$FANDOL" --font-dir "$NOTO" --label "wengao, Fandol (default on this machine)" "$EXP/out/experience.pdf")
[ -f "$WORK/experience-typst.pdf" ] && ARGS+=(--label "Typst, Fandol" "$WORK/experience-typst.pdf")
ARGS+=(--label "wengao, bundled Noto SC GB 2312 (TrueType)" "$WORK/noto-ttf/out/experience.pdf")
[ -f "$WORK/noto-cff/out/experience.pdf" ] && ARGS+=(--label "wengao, Noto Serif/Sans CJK SC (CFF)" "$WORK/noto-cff/out/experience.pdf")
python3 "$ROOT/bench/pdf_bytes.py" "${ARGS[@]}"
