#!/bin/bash
# The before/after table of docs/FOOTPRINT.md: two broker jars, the same JVM options, back to back.
#   tools/footprint.sh BEFORE.jar AFTER.jar OUTDIR [CAPACITY]
# S1-S4: each jar's own `bench --repeat 3` (median of 3, fresh broker each). Fixed rate (L1-L3 at
# 25/50/75 % of CAPACITY, and 20,000 msg/s): AFTER's bench client against a fresh broker of each jar
# per run (the before jar's bench has no --rate), broker CPU and peak RSS read from /proc. Idle RSS:
# 5 s after `listening`, nothing connected. NMT: an idle broker with -XX:NativeMemoryTracking.
# Every line carries the load average (the machine is shared).
set -u
before=$1; after=$2; out=$3; capacity=${4:-40000}
mkdir -p "$out"
root=$(cd "$(dirname "$0")/.." && pwd)
opts=$(cat "$root/src/main/resources/dev/courier/bench/broker-jvm.options")
export MALLOC_ARENA_MAX=2
label() { if [ "$1" = "$before" ]; then echo before; else echo after; fi; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
log() { echo "$*" | tee -a "$out/table.txt"; }

# start_broker JAR LOG [--set k=v ...]: sets $pid and $port
start_broker() {
  local jar=$1 blog=$2; shift 2
  data=$(mktemp -d /tmp/courier-footprint-XXXX)
  java $opts -jar "$jar" broker --host 127.0.0.1 --port 0 --set data_dir="$data" "$@" > "$blog" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q "listening on" "$blog" && break; sleep 0.1; done
  port=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$blog" | head -1 | cut -d: -f2)
}
stop_broker() { kill "$pid"; wait "$pid" 2>/dev/null; rm -rf "$data"; }
cpu_ticks() { sed 's/.*) //' /proc/$pid/stat | awk '{print $12+$13}'; }
# settings that only the after jar knows: its HTTP and STOMP listeners off, as the bench does
only_after() { [ "$1" = "$after" ] && echo "--set stomp_port=-1 --set http_port=-1"; }

# 1. S1-S4, median of 3, both storage modes
for mode in durable memory; do
  set_mode=(); [ $mode = memory ] && set_mode=(--broker-set storage=memory)
  for jar in "$before" "$after"; do
    name=$(label "$jar")
    log "== S1-S4 $mode $name, load before $(load)"
    java -jar "$jar" bench --scenario S1,S2,S3,S4 --repeat 3 --broker-jvm-opts "$opts" "${set_mode[@]}" \
      > "$out/s-$mode-$name.txt" 2>&1
    grep -E "^(scenario|S[1-4]) " "$out/s-$mode-$name.txt" | tee -a "$out/table.txt"
    log "   load after $(load)"
  done
done

# 2. fixed rate: L1-L3 and 20k, 3 runs each, fresh broker per run
rate_run() { # jar mode label rate count
  local jar=$1 mode=$2 label=$3 rate=$4 count=$5 set_mode=()
  [ $mode = memory ] && set_mode=(--set storage=memory)
  start_broker "$jar" "$out/broker.log" $(only_after "$jar") "${set_mode[@]}"
  local t0; t0=$(cpu_ticks); local l0; l0=$(load)
  line=$(java -jar "$after" bench --host 127.0.0.1 --port "$port" --producers 4 --consumers 4 --rate "$rate" \
      --count "$count" --warmup-seconds 3 2>&1 | grep -E "^custom " | tail -1)
  local t1; t1=$(cpu_ticks); hwm=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
  stop_broker
  cpu=$(awk -v d=$((t1 - t0)) -v n="$count" 'BEGIN {printf "%.2f", d / 100 * 100000 / n}')
  log "$label $mode $(label "$jar") | $line | cpu_s_per_100k $cpu peak_rss_MiB $((hwm / 1024)) | load $l0 -> $(load)"
}
for mode in durable memory; do
  for pct in 25 50 75; do
    rate=$((capacity * pct / 100))
    for i in 1 2 3; do
      for jar in "$before" "$after"; do rate_run "$jar" $mode "L$((pct / 25))@$rate#$i" $rate $((rate * 13)); done
    done
  done
done
for i in 1 2 3; do
  for jar in "$before" "$after"; do rate_run "$jar" durable "R20k#$i" 20000 260000; done
done

# 3. idle RSS, 3 runs each; after-cds maps the class archive bin/courier and make run map
archive="$out/after.jsa"
sh "$root/tools/cds-archive.sh" "$after" "$archive" > "$out/cds.log" 2>&1
for i in 1 2 3; do
  for variant in before after after-listeners after-listeners-cds; do
    case $variant in before) jar=$before; extra="";; after) jar=$after; extra=$(only_after "$after");; *) jar=$after; extra="";; esac
    opts_saved=$opts
    if [ $variant = after-listeners-cds ]; then
      [ -s "$archive" ] || continue
      opts="$opts -XX:SharedArchiveFile=$archive -Xlog:cds*=off"
    fi
    start_broker "$jar" "$out/broker.log" $extra
    sleep 5
    log "idle#$i $variant | rss_kB $(awk '/VmRSS/ {print $2}' /proc/$pid/status) threads $(ls /proc/$pid/task | wc -l) | load $(load)"
    stop_broker; opts=$opts_saved
  done
done

# 4. NMT of an idle broker
for variant in before after; do
  jar=$before; extra=""; [ $variant = after ] && { jar=$after; extra=$(only_after "$after"); }
  opts_saved=$opts; opts="$opts -XX:NativeMemoryTracking=summary"
  start_broker "$jar" "$out/broker.log" $extra
  sleep 5
  { echo "== NMT idle $variant, rss_kB $(awk '/VmRSS/ {print $2}' /proc/$pid/status)";
    jcmd $pid VM.native_memory summary; jcmd $pid GC.heap_info; } > "$out/nmt-$variant.txt" 2>&1
  log "nmt $variant written"
  stop_broker; opts=$opts_saved
done
log "done $(date)"
