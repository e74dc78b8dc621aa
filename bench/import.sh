#!/usr/bin/env bash
# Import speed on large synthetic exports (hyperfine): three years of Bearable
# (about 16,000 rows, 6,800 entries), ten years of Daylio (about 7,300 rows,
# 14,600 entries) and ten years of Hearth JSON, checked (--dry-run) and imported
# into a fresh journal and into a ten-year one.
# Usage: bench/import.sh [BIN]   (builds the release binary unless BIN is
# given; needs hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/release-bin.sh
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# Four moods and energies a day, sleep, three factors, three symptoms, a note.
awk 'BEGIN {
  srand(1); print "date,date formatted,weekday,time of day,category,rating/amount,detail,notes";
  split("am mid pm pre-bed", parts, " ");
  split("Exercise|Gardening|Caffeine|Alcohol|Friends|Meditation|Reading|Cuddling", f, "|");
  split("Little|Moderate|A lot|None", lv, "|");
  t = mktime("2023 01 01 12 00 00");
  for (i = 0; i < 1095; i++) {
    d = strftime("%Y-%m-%d", t + i * 86400);
    for (p = 1; p <= 4; p++) {
      printf "%s,%s,x,%s,Mood,%d,,\n", d, d, parts[p], 1 + int(rand() * 10);
      printf "%s,%s,x,%s,Energy,%d,,\n", d, d, parts[p], 1 + int(rand() * 10);
    }
    printf "%s,%s,x,,Sleep,%d:30,,\n", d, d, 5 + int(rand() * 4);
    printf "%s,%s,x,,Sleep quality,%d,,\n", d, d, 1 + int(rand() * 5);
    printf "%s,%s,x,,Lifestyle,,%s - %s | %s - %s | %s - %s,\n", d, d,
      f[1 + int(rand() * 8)], lv[1 + int(rand() * 4)], f[1 + int(rand() * 8)], lv[1 + int(rand() * 4)],
      f[1 + int(rand() * 8)], lv[1 + int(rand() * 4)];
    for (s = 0; s < 3; s++) printf "%s,%s,x,,Symptom,%d,Fatigue %d (Mild),\n", d, d, int(rand() * 5), s;
    printf "%s,%s,x,pm,Notes,,\"A day, with \"\"quotes\"\"\",\n", d, d;
  }
}' >"$dir/bearable.csv"

# Two rows a day, newest first, two activities each.
awk 'BEGIN {
  srand(2); print "full_date,date,weekday,time,mood,activities,note_title,note";
  split("rad good meh bad awful", m, " ");
  split("friends|walk|gaming|reading|sport|cleaning", a, "|");
  t = mktime("2025 12 31 12 00 00");
  for (i = 0; i < 3650; i++) {
    d = strftime("%Y-%m-%d", t - i * 86400);
    printf "%s,x,x,9:15 pm,%s,%s | %s,,\"Evening, \"\"fine\"\"\"\n", d, m[1 + int(rand() * 5)], a[1 + int(rand() * 6)], a[1 + int(rand() * 6)];
    printf "%s,x,x,8:05 am,%s,,,\n", d, m[1 + int(rand() * 5)];
  }
}' >"$dir/daylio.csv"
wc -l "$dir/bearable.csv" "$dir/daylio.csv"

# Ten years of Hearth's own JSON (a demo journal's export, about 11,700 entries),
# and a ten-year journal to import into.
"$bin" --data-dir "$dir/y10" init --tz Europe/London --region gb >/dev/null
"$bin" --data-dir "$dir/y10" demo --days 3650 >/dev/null
"$bin" --data-dir "$dir/y10" export --format json --out "$dir/hearth.json" >/dev/null 2>&1

# Every run starts from an empty journal, or a fresh copy of the ten-year one
# (made outside the timing).
fresh="rm -rf $dir/j && $bin --data-dir $dir/j init --tz Europe/London >/dev/null"
full="rm -rf $dir/j && cp -a $dir/y10 $dir/j"
hyperfine --warmup 1 --runs 10 --export-markdown "$dir/out.md" \
  --prepare "$fresh" -n "bearable --dry-run" "$bin --data-dir $dir/j import $dir/bearable.csv --format bearable --dry-run" \
  --prepare "$fresh" -n "daylio --dry-run" "$bin --data-dir $dir/j import $dir/daylio.csv --format daylio --dry-run" \
  --prepare "$fresh" -n "bearable into a fresh journal" "$bin --data-dir $dir/j import $dir/bearable.csv --format bearable" \
  --prepare "$fresh" -n "daylio into a fresh journal" "$bin --data-dir $dir/j import $dir/daylio.csv --format daylio" \
  --prepare "$fresh" -n "hearth json into a fresh journal" "$bin --data-dir $dir/j import $dir/hearth.json" \
  --prepare "$full" -n "daylio into a ten-year journal" "$bin --data-dir $dir/j import $dir/daylio.csv --format daylio" \
  --prepare "$full" -n "bearable into a ten-year journal" "$bin --data-dir $dir/j import $dir/bearable.csv --format bearable"
cat "$dir/out.md"
# How many entries each file brings (entries a second = these / the times above).
for f in bearable daylio; do
  rm -rf "$dir/j" && "$bin" --data-dir "$dir/j" init --tz Europe/London >/dev/null
  echo "$f: $("$bin" --data-dir "$dir/j" --json import "$dir/$f.csv" --format "$f" --dry-run)"
done
rm -rf "$dir/j" && "$bin" --data-dir "$dir/j" init --tz Europe/London >/dev/null
echo "hearth json: $("$bin" --data-dir "$dir/j" --json import "$dir/hearth.json" --dry-run)"
