#!/usr/bin/env bash
# Benchmarks `jiayuan build` on generated corpora (1k, 10k and 50k estates, each with N/5
# case studies) and prints a Markdown table: median wall time with its min and max, median
# CPU time (user+sys), median peak RSS, pages per second, and the floor: the time `cp -r`
# takes to write the same output tree on the same disk. See docs/PERFORMANCE.md.
#
# usage: bench/run.sh [--quick] [--runs N] [--sizes "N ..."] [--out FILE] [--dir DIR]
#                     [--bin PATH] [--gen-only] [--keep]
set -euo pipefail

usage() {
  cat <<'EOF'
usage: bench/run.sh [options]

  --quick          skip the 50k corpus (sizes 1000 and 10000)
  --runs N         timed runs per corpus (default 5; one untimed warm-up run comes first)
  --sizes "N ..."  estate counts to run instead of the defaults (cases are N/5)
  --out FILE       also append the report to FILE
  --dir DIR        where to put the corpora (default: $TMPDIR or /tmp); the floor is
                   measured on this same disk. Outputs are moved aside, not deleted,
                   until the end (about 1 GiB per run at 50k), except on tmpfs, where
                   they are deleted untimed; /dev/shm times the build without the disk
  --bin PATH       benchmark this jiayuan binary instead of building target/release/jiayuan
  --gen-only       only generate the corpora and report generation time and size
  --keep           keep the generated corpora and outputs (the path is printed)
EOF
}

TODAY=2026-11-26
runs=5
sizes="1000 10000 50000"
out_file=""
parent="${TMPDIR:-/tmp}"
bin=""
gen_only=0
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) sizes="1000 10000" ;;
    --runs) runs="$2"; shift ;;
    --sizes) sizes="$2"; shift ;;
    --out) out_file="$2"; shift ;;
    --dir) parent="$2"; shift ;;
    --bin) bin="$2"; shift ;;
    --gen-only) gen_only=1 ;;
    --keep) keep=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench/run.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case "$runs" in ''|*[!0-9]*|0) echo "bench/run.sh: --runs needs a positive integer" >&2; exit 2 ;; esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
gen="$target/release/examples/gen_corpus"

if [ ! -x /usr/bin/time ]; then
  echo "bench/run.sh: /usr/bin/time is missing (Debian: apt-get install time)" >&2
  exit 2
fi
have_hyperfine=0
if command -v hyperfine >/dev/null 2>&1; then
  have_hyperfine=1
else
  echo "bench/run.sh: hyperfine not found (Debian: apt-get install hyperfine);" \
    "timing with /usr/bin/time loops instead" >&2
fi

# Build what is needed in one cargo call (release: the numbers mean nothing otherwise).
if [ -n "$bin" ] || [ "$gen_only" = 1 ]; then
  (cd "$root" && cargo build --release --example gen_corpus) >&2
else
  (cd "$root" && cargo build --release --bin jiayuan --example gen_corpus) >&2
  bin="$target/release/jiayuan"
fi
if [ "$gen_only" = 0 ]; then
  bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
  if ! "$bin" build --help >/dev/null 2>&1; then
    echo "bench/run.sh: '$bin build' is not available; use --gen-only to time the corpus only" >&2
    exit 3
  fi
fi

mkdir -p "$parent"
work="$(mktemp -d "$parent/jiayuan-bench.XXXXXX")"
cleanup() {
  if [ "$keep" = 1 ]; then echo "bench/run.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
on_tmpfs=0
if [ "$(df -PT "$work" | awk 'NR == 2 { print $2 }')" = tmpfs ]; then on_tmpfs=1; fi

# Median of the numbers on stdin, one per line.
median() {
  sort -g | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit }
    if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# Moves a previous output out of the way instead of deleting it. On ext4 without a journal
# the kernel skips recently deleted inodes when it allocates new ones, so creating files
# shortly after deleting thousands is several times slower (cp -r of the 10k output: 1.3 s,
# 5.8 s right after an rm -rf of the same size); deleting between runs would time that.
# Everything moved aside is deleted when the script ends.
# On tmpfs, though, an output kept aside holds memory: five 50k outputs and five copies
# for the floor are about 10 GiB, and by the last runs the kernel was reclaiming memory
# inside the timed build (system time 5.2 s instead of 2.4 s). There a previous output is
# deleted instead, untimed.
aside() {
  if [ ! -e "$1" ]; then return; fi
  if [ "$on_tmpfs" = 1 ]; then rm -rf "$1"; else mv "$1" "$(mktemp -d "$work/aside.XXXXXX")/"; fi
}

# The same as a command for hyperfine's --prepare.
aside_command() {
  if [ "$on_tmpfs" = 1 ]; then echo "rm -rf $1"
  else echo "sh -c 'test ! -e $1 || mv $1 \$(mktemp -d $work/aside.XXXXXX)/'"; fi
}

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

# Column `$2` of a hyperfine CSV export `$1`, first result row.
csv_field() {
  awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
    NR == 2 { print $c }' "$1"
}

report() {
  if [ -n "$out_file" ]; then tee -a "$out_file"; else cat; fi
}

machine_info() {
  local cpu mem timer
  cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)"
  mem="$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)"
  if [ "$have_hyperfine" = 1 ]; then timer="$(hyperfine --version) (wall), /usr/bin/time (CPU, RSS)"
  else timer="/usr/bin/time loop"; fi
  if [ "$gen_only" = 1 ]; then echo "### jiayuan corpus generation, $(date -u +%Y-%m-%dT%H:%MZ)"
  else echo "### jiayuan build benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"; fi
  echo
  echo "- machine: $(nproc) cores (nproc), ${cpu:-unknown CPU}, ${mem:-unknown memory}, $(uname -sr)"
  echo "- disk of the corpora: $(df -PT "$work" | awk 'NR == 2 { print $2 " (" $1 ")" }')"
  echo "- $(rustc --version)"
  if [ "$gen_only" = 0 ]; then echo "- $("$bin" --version 2>/dev/null || echo jiayuan)"; fi
  echo "- commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(
    git -C "$root" diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
  if [ "$gen_only" = 1 ]; then echo "- timing: one generation run per corpus (wall clock)"
  else echo "- timing: $timer; $runs runs after 1 warm-up, medians; today = $TODAY"; fi
  echo
}

# Writes corpus N into $work/site-N and prints the generation wall time in seconds.
generate() {
  local n="$1" site="$work/site-$1" t0 t1
  t0="$(now)"
  "$gen" --estates "$n" --cases "$((n / 5))" "$site" >&2
  t1="$(now)"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }'
}

if [ "$gen_only" = 1 ]; then
  {
    machine_info
    echo "| corpus (estates + cases) | files | size | generation wall |"
    echo "|---|---:|---:|---:|"
  } | report
  for n in $sizes; do
    secs="$(generate "$n")"
    files="$(find "$work/site-$n/content" -type f | wc -l)"
    size="$(du -sh "$work/site-$n/content" | cut -f1)"
    echo "| $n + $((n / 5)) | $files | $size | ${secs} s |" | report
  done
  exit 0
fi

{
  machine_info
  echo "| corpus (estates + cases) | HTML pages | output | wall (min–max) | CPU (user+sys) | peak RSS | pages/s | floor (cp -r) | wall ÷ floor |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
} | report

for n in $sizes; do
  site="$work/site-$n"
  public="$site/public"
  floor="$work/floor-$n"
  log="$work/time-$n.log"
  echo "bench/run.sh: corpus $n + $((n / 5))" >&2
  generate "$n" >/dev/null

  # Warm-up, and a check that the build works before timing it.
  aside "$public"
  if ! "$bin" build --root "$site" --output "$public" --today "$TODAY" >"$work/build.out" 2>&1; then
    echo "bench/run.sh: the build of corpus $n failed:" >&2
    tail -n 40 "$work/build.out" >&2
    exit 1
  fi
  pages="$(find "$public" -type f -name '*.html' | wc -l)"
  out_size="$(du -sh "$public" | cut -f1)"

  # Each timed run is a clean build: the previous output is moved aside (on tmpfs,
  # deleted) untimed beforehand.
  : >"$log"
  timed=(/usr/bin/time -f '%e %U %S %M' -a -o "$log"
         "$bin" build --root "$site" --output "$public" --today "$TODAY")
  if [ "$have_hyperfine" = 1 ]; then
    hyperfine -N --style basic --runs "$runs" --prepare "$(aside_command "$public")" \
      --command-name "build-$n" --export-csv "$work/build-$n.csv" \
      "/usr/bin/time -f '%e %U %S %M' -a -o $log $bin build --root $site --output $public --today $TODAY" >&2
    wall="$(csv_field "$work/build-$n.csv" median)"
    wall_min="$(csv_field "$work/build-$n.csv" min)"
    wall_max="$(csv_field "$work/build-$n.csv" max)"
  else
    for _ in $(seq "$runs"); do
      aside "$public"
      "${timed[@]}" >/dev/null 2>&1
    done
    wall="$(awk '{ print $1 }' "$log" | median)"
    wall_min="$(awk '{ print $1 }' "$log" | sort -g | head -n 1)"
    wall_max="$(awk '{ print $1 }' "$log" | sort -g | tail -n 1)"
  fi
  cpu="$(awk '{ print $2 + $3 }' "$log" | median)"
  rss_kib="$(awk '{ print $4 }' "$log" | median)"

  # The floor: writing the same tree with cp -r on the same disk.
  if [ "$have_hyperfine" = 1 ]; then
    hyperfine -N --style basic --runs "$runs" --prepare "$(aside_command "$floor")" \
      --command-name "floor-$n" --export-csv "$work/floor-$n.csv" \
      "cp -r $public $floor" >&2
    floor_s="$(csv_field "$work/floor-$n.csv" median)"
  else
    floor_s="$(for _ in $(seq "$runs"); do
      aside "$floor"
      t0="$(now)"; cp -r "$public" "$floor"; t1="$(now)"
      awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }'
    done | median)"
  fi

  awk -v n="$n" -v c="$((n / 5))" -v pages="$pages" -v out="$out_size" -v wall="$wall" \
    -v lo="$wall_min" -v hi="$wall_max" -v cpu="$cpu" -v rss="$rss_kib" -v floor="$floor_s" 'BEGIN {
      printf "| %d + %d | %d | %s | %.2f s (%.2f–%.2f) | %.2f s | %.0f MiB | %.0f | %.2f s | %.1f× |\n",
        n, c, pages, out, wall, lo, hi, cpu, rss / 1024, pages / wall, floor, wall / floor }' | report

done
