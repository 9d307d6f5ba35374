#!/usr/bin/env bash
# Side-by-side benchmark: direct backend, nginx proxy, HAProxy and Meshgate on 127.0.0.1, one worker each.
#   perf/bench.sh [--smoke] [--rounds N] [--duration S] [--warmup S] [--workloads W1,W2,W3,W4,W5,W6,FR]
#                 [--peers direct,nginx,haproxy,meshgate] [--out DIR] [--base-port P]
# Installs nginx, haproxy, wrk and h2load (nghttp2-client) from Debian when missing, builds the jars when
# missing, starts everything it measures and stops it on exit (by PID). Writes DIR/<date>-<host>.md with PNG
# plots (default DIR: perf/results; --smoke: a scratch directory). See perf/README.md.
set -euo pipefail

self="$(readlink -f "${BASH_SOURCE[0]}")"
PERF="$(dirname "$self")"
ROOT="$(dirname "$PERF")"
LIB="$PERF/lib"

SMOKE=0
ROUNDS=5
DURATION=10
WARMUP=30
WORKLOADS="W1,W2,W3,W4,W5,W6,FR"
PEERS="direct,nginx,haproxy,meshgate"
OUT=""
BASE=28000
FR_RATE=1000
FR_CONNS=16

usage() { sed -n '2,7p' "$self" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) SMOKE=1 ;;
    --rounds) ROUNDS="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --warmup) WARMUP="$2"; shift ;;
    --workloads) WORKLOADS="$2"; shift ;;
    --peers) PEERS="$2"; shift ;;
    --out) OUT="$2"; shift ;;
    --base-port) BASE="$2"; shift ;;
    -h|--help) usage 0 ;;
    *) echo "bench: unknown option $1" >&2; usage 2 ;;
  esac
  shift
done
if [ "$SMOKE" = 1 ]; then
  ROUNDS=1; DURATION=1; WARMUP=0
fi
for n in "$ROUNDS" "$DURATION" "$WARMUP" "$BASE"; do
  [[ "$n" =~ ^[0-9]+$ ]] || { echo "bench: '$n' is not a number" >&2; exit 2; }
done
[ "$DURATION" -ge 1 ] && [ "$DURATION" -le 600 ] || { echo "bench: --duration must be 1..600 s" >&2; exit 2; }

has() { [[ ",$1," == *",$2,"* ]]; }
log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- tools
ensure_tools() {
  local need=()
  command -v nginx >/dev/null 2>&1 || need+=(nginx)
  command -v haproxy >/dev/null 2>&1 || need+=(haproxy)
  command -v wrk >/dev/null 2>&1 || need+=(wrk)
  command -v h2load >/dev/null 2>&1 || need+=(nghttp2-client)
  command -v openssl >/dev/null 2>&1 || need+=(openssl)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  if [ ${#need[@]} -gt 0 ]; then
    log "installing from Debian: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends "${need[@]}" >&2
  fi
  command -v jcmd >/dev/null 2>&1 || log "jcmd missing: live heap after GC will not be measured"
}

MESHGATE_JAR="$ROOT/gateway/target/meshgate.jar"
PERF_JAR="$PERF/target/meshgate-perf.jar"
ensure_jars() {
  local stale=0
  for j in "$MESHGATE_JAR" "$PERF_JAR"; do [ -f "$j" ] || stale=1; done
  if [ $stale = 0 ] && [ -n "$(find "$ROOT" \( -name target -o -name .git -o -name work \) -prune -o \
        \( -path '*/src/main/*' -o -name pom.xml \) -type f -newer "$PERF_JAR" -print -quit)" ]; then
    stale=1
  fi
  if [ $stale = 1 ]; then
    log "building meshgate.jar and meshgate-perf.jar (mvn package -pl perf -am)"
    # shellcheck disable=SC2086
    (cd "$ROOT" && mvn -q -B -DskipTests ${MESHGATE_MVN_ARGS:-} -pl perf -am package) >&2
  fi
}

# ---------------------------------------------------------------- ports and URLs
P_BACKEND=$((BASE + 81)); P_V1=$((BASE + 91)); P_V2=$((BASE + 92))
peer_base() { case "$1" in nginx) echo $((BASE + 100)) ;; haproxy) echo $((BASE + 200)) ;; meshgate) echo $((BASE + 300)) ;; esac; }
# per peer: +0 plaintext, +1 TLS (ALPN h2 + http/1.1), +2 1000 routes, +3 canary 90/10, +4 all to v1 (the
# canary's cost baseline: same logging backend)

# Cases: "workload|case|peers|tool|spec". Tools: wrk, wrk-close (Connection: close), h2load, loadgen.
all_cases() {
  cat <<EOF
W1|GET /ok|direct,nginx,haproxy,meshgate|wrk|plain /ok
W2|TLS GET /ok|nginx,haproxy,meshgate|wrk|tls /ok
W2|TLS handshake per request|nginx,haproxy,meshgate|wrk-close|tls /ok
W3|h2 GET /ok|nginx,haproxy,meshgate|h2load|tls /ok
W4|GET /1k|direct,nginx,haproxy,meshgate|wrk|plain /1k
W4|GET /64k|direct,nginx,haproxy,meshgate|wrk|plain /64k
W4|POST 64k|direct,nginx,haproxy,meshgate|wrk-post|plain /post
W5|1000 routes spread|direct,nginx,haproxy,meshgate|wrk-spread|routes /r0/ok
W5|1000 routes worst-match|direct,nginx,haproxy,meshgate|wrk|routes /r999/ok
W6|canary 90/10|nginx,haproxy,meshgate|wrk|canary /ok
W6|single destination v1|nginx,haproxy,meshgate|wrk|single /ok
FR|1000 rps GET /1k|direct,nginx,haproxy,meshgate|loadgen|plain /1k
FR|1000 rps TLS GET /1k|nginx,haproxy,meshgate|loadgen|tls /1k
EOF
}

url_for() { # peer spec-listener path
  local peer="$1" kind="$2" path="$3"
  if [ "$peer" = direct ]; then
    echo "http://127.0.0.1:$P_BACKEND$path"; return
  fi
  local b; b=$(peer_base "$peer")
  case "$kind" in
    plain) echo "http://127.0.0.1:$b$path" ;;
    # localhost (127.0.0.1 in /etc/hosts), not the IP: every client then sends SNI, as real clients do
    tls) echo "https://localhost:$((b + 1))$path" ;;
    routes) echo "http://127.0.0.1:$((b + 2))$path" ;;
    canary) echo "http://127.0.0.1:$((b + 3))$path" ;;
    single) echo "http://127.0.0.1:$((b + 4))$path" ;;
  esac
}

# ---------------------------------------------------------------- work dir, certs, configs
W="${PERF_WORK:-/tmp/meshgate-perf.$$}"
mkdir -p "$W"/{logs,tmp,hist,meshgate,out}
chmod 755 "$W" "$W"/*   # nginx workers (user nobody) read the static bodies
RAW="$W/raw.tsv"

make_files() {
  # base64 of 768 / 49152 random bytes is exactly 1024 / 65536 characters (no SIGPIPE under pipefail)
  head -c 768 /dev/urandom | base64 -w0 > "$W/1k.txt"
  head -c 49152 /dev/urandom | base64 -w0 > "$W/64k.txt"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$W/key.pem" -out "$W/cert.pem" \
    -days 30 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
  cat "$W/cert.pem" "$W/key.pem" > "$W/haproxy.pem"
  chmod 644 "$W"/*.txt "$W"/*.pem
  cat > "$W/post.lua" <<'EOF'
wrk.method = "POST"
wrk.body = string.rep("a", 65536)
wrk.headers["Content-Type"] = "application/octet-stream"
EOF
  cat > "$W/spread.lua" <<'EOF'
-- uniform over the 1000 routes /r0/ .. /r999/; each wrk thread has its own Lua state and seed
local seeded = false
request = function()
  if not seeded then
    math.randomseed(os.time() + (tonumber(tostring({}):match("(%x+)$") or "0", 16) or 0) % 1000003)
    seeded = true
  end
  return wrk.format(nil, "/r" .. math.random(0, 999) .. "/ok")
end
EOF
  "$LIB/configs.sh" "$W" "$BASE"
}

# ---------------------------------------------------------------- processes
declare -A PID=()        # peer -> measured process (nginx: the worker)
STARTED_PIDS=()          # everything we started, stopped in reverse
NGINX_MASTERS=()

cleanup() {
  local rc=$?
  set +e
  for m in "${NGINX_MASTERS[@]}"; do
    [ -f "$m" ] && kill -QUIT "$(cat "$m")" 2>/dev/null
  done
  for ((i = ${#STARTED_PIDS[@]} - 1; i >= 0; i--)); do
    kill "${STARTED_PIDS[$i]}" 2>/dev/null
  done
  # bounded wait, then force the stragglers (only ours)
  for _ in $(seq 1 50); do
    local alive=0
    for p in "${STARTED_PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    for m in "${NGINX_MASTERS[@]}"; do [ -f "$m" ] && kill -0 "$(cat "$m")" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  for p in "${STARTED_PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  for m in "${NGINX_MASTERS[@]}"; do [ -f "$m" ] && kill -9 "$(cat "$m")" 2>/dev/null; done
  if [ "${KEEP_WORK:-0}" != 1 ] && [ "$SMOKE" = 0 ] && [ $rc = 0 ]; then rm -rf "$W"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_port() { # port seconds
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

STARTED_WORKER=""
start_nginx() { # name -> STARTED_WORKER (no subshell: NGINX_MASTERS must reach the EXIT trap)
  local pidf="$W/$1.pid"
  nginx -e "$W/logs/$1-startup.log" -c "$W/$1.conf" -p "$W/" >&2
  NGINX_MASTERS+=("$pidf")
  local deadline=$((SECONDS + 10)) worker=""
  while [ $SECONDS -lt $deadline ] && [ -z "$worker" ]; do
    [ -f "$pidf" ] && worker=$(pgrep -P "$(cat "$pidf")" | head -1 || true)
    [ -z "$worker" ] && sleep 0.1
  done
  [ -n "$worker" ] || { echo "bench: nginx $1 did not start (see $W/logs)" >&2; exit 1; }
  STARTED_WORKER="$worker"
}

MESHGATE_HELP=""
start_all() {
  start_nginx backend
  PID[direct]=$STARTED_WORKER
  wait_port "$P_BACKEND" 10 || { echo "bench: backend not listening" >&2; exit 1; }
  if has "$PEERS" nginx; then
    start_nginx proxy
    PID[nginx]=$STARTED_WORKER
    wait_port "$(peer_base nginx)" 10
  fi
  if has "$PEERS" haproxy; then
    haproxy -f "$W/haproxy.cfg" >"$W/logs/haproxy.out" 2>&1
    local deadline=$((SECONDS + 10))
    while [ $SECONDS -lt $deadline ] && [ ! -s "$W/haproxy.pid" ]; do sleep 0.1; done
    PID[haproxy]=$(head -1 "$W/haproxy.pid")
    STARTED_PIDS+=("${PID[haproxy]}")
    wait_port "$(peer_base haproxy)" 10
  fi
  if has "$PEERS" meshgate; then
    MESHGATE_HELP=$(java -jar "$MESHGATE_JAR" run --help 2>&1 || true)
    local flags=()
    [[ "$MESHGATE_HELP" == *--event-loops* ]] && flags+=(--event-loops 1)
    [[ "$MESHGATE_HELP" == *--bind=* ]] && flags+=(--bind 127.0.0.1)
    [[ "$MESHGATE_HELP" == *--no-admin* ]] && flags+=(--no-admin)
    # shellcheck disable=SC2086
    java ${MESHGATE_JAVA_OPTS:--Xms128m -Xmx128m} -jar "$MESHGATE_JAR" run --config "$W/meshgate" "${flags[@]}" \
      >"$W/logs/meshgate.log" 2>&1 &
    PID[meshgate]=$!
    STARTED_PIDS+=("${PID[meshgate]}")
    if ! wait_port "$(peer_base meshgate)" 60; then
      log "Meshgate does not listen on $(peer_base meshgate) (yet): its rows will say 'not yet supported'"
      kill -0 "${PID[meshgate]}" 2>/dev/null || { log "Meshgate exited:"; tail -20 "$W/logs/meshgate.log" >&2; }
    fi
  fi
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo NA; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo NA; }
accepts() { curl -s --max-time 5 "http://127.0.0.1:$P_BACKEND/nginx_status" | awk 'NR == 3 {print $1}'; }
heap_after_gc_kb() {
  command -v jcmd >/dev/null 2>&1 || { echo NA; return; }
  jcmd "$1" GC.run >/dev/null 2>&1 || { echo NA; return; }
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/heap/ && /used/ {for (i = 1; i <= NF; i++) if ($i == "used") {gsub(/[^0-9]/, "", $(i+1)); print $(i+1); exit}}'
}
CLK=$(getconf CLK_TCK)

# ---------------------------------------------------------------- load tools (each bounded in time)
DEADLINE_PAD=30
run_tool() { # tool url seconds outfile [histfile]
  local tool="$1" url="$2" secs="$3" out="$4" hist="${5:-}"
  local t=$((secs + DEADLINE_PAD))
  case "$tool" in
    wrk) timeout "$t" wrk -t2 -c50 -d"${secs}s" --latency "$url" >"$out" 2>&1 || true ;;
    wrk-close) timeout "$t" wrk -t2 -c50 -d"${secs}s" --latency -H "Connection: close" "$url" >"$out" 2>&1 || true ;;
    wrk-post) timeout "$t" wrk -t2 -c50 -d"${secs}s" --latency -s "$W/post.lua" "$url" >"$out" 2>&1 || true ;;
    wrk-spread) timeout "$t" wrk -t2 -c50 -d"${secs}s" --latency -s "$W/spread.lua" "$url" >"$out" 2>&1 || true ;;
    h2load)
      rm -f "$W/h2.log"
      timeout "$t" h2load -t2 -c10 -m100 -D "$secs" --log-file="$W/h2.log" "$url" >"$out" 2>&1 || true ;;
    loadgen)
      # C1 only: the generator's own JIT warm-up would otherwise queue requests on a busy box
      timeout "$((t + FR_WARM))" java -Xms64m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$PERF_JAR" \
        dev.meshgate.perf.loadgen.OpenLoopLoadGen --url "$url" --rate "$FR_RATE" --connections "$FR_CONNS" \
        --duration "$secs" --warmup "$FR_WARM" ${hist:+--histogram "$hist"} >"$out" 2>&1 || true ;;
  esac
}

# prints: rps p50 p75 p90 p99 requests errors (ms; NA when the tool does not say)
parse_tool() { # tool outfile
  case "$1" in
    wrk*) awk '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /m$/) return v * 60000; if (v ~ /s$/) return v * 1000; return v }
      /^ +50%/ {p50 = ms($2)} /^ +75%/ {p75 = ms($2)} /^ +90%/ {p90 = ms($2)} /^ +99%/ {p99 = ms($2)}
      / requests in / {req = $1}
      /Socket errors/ {gsub(/,/, ""); err += $4 + $6 + $8 + $10}
      /Non-2xx or 3xx/ {err += $NF}
      /^Requests\/sec/ {rps = $2}
      END { if (rps == "") print "NA NA NA NA NA NA NA"; else printf "%s %s %s %s %s %s %d\n", rps, p50, p75, p90, p99, req, err }' "$2" ;;
    h2load)
      local rps req err
      rps=$(awk '/^finished in/ {gsub(/,/, ""); print $4}' "$2")
      req=$(awk '/^requests:/ {print $8}' "$2")
      err=$(awk '/^requests:/ {print $10 + $12 + $14}' "$2")
      if [ -z "$rps" ] || [ ! -s "$W/h2.log" ]; then echo "NA NA NA NA NA NA NA"; return; fi
      # per-request durations (µs, 3rd column) -> percentiles
      cut -f3 "$W/h2.log" | sort -n | awk -v rps="$rps" -v req="$req" -v err="$err" '
        function at(q,   i) { i = int(NR * q); if (i < 1) i = 1; return v[i] / 1000 }
        {v[NR] = $1}
        END { if (NR == 0) {print "NA NA NA NA NA NA NA"; exit}
          printf "%s %.3f %.3f %.3f %.3f %s %s\n", rps, at(0.5), at(0.75), at(0.9), at(0.99), req, err }' ;;
    loadgen) awk '/^RESULT/ {for (i = 2; i <= NF; i++) {split($i, kv, "="); r[kv[1]] = kv[2]}
      printf "%s %s NA %s %s %s %d\n", r["achieved_rps"], r["p50_ms"], r["p90_ms"], r["p99_ms"], r["completed"], r["errors"] + r["non2xx"] + r["timeouts"]; found = 1}
      END { if (!found) print "NA NA NA NA NA NA NA" }' "$2" ;;
  esac
}

canary_counts() { # -> "v1 v2" line counts of the backends' access logs
  echo "$(wc -l < "$W/logs/v1.log" 2>/dev/null || echo 0) $(wc -l < "$W/logs/v2.log" 2>/dev/null || echo 0)"
}

row() { # round wl case peer tool rps p50 p75 p90 p99 req err cpu rss heap acc secs extra note
  local IFS=$'\t'
  echo "$*" >> "$RAW"
}

measure() { # round wl case peer tool url seconds
  local round="$1" wl="$2" cs="$3" peer="$4" tool="$5" url="$6" secs="$7"
  local pid="${PID[$peer]}" out="$W/out/r$round-$wl-${cs//[^a-zA-Z0-9]/_}-$peer.txt"
  local hist=""
  [ "$tool" = loadgen ] && hist="$W/hist/r$round-${cs//[^a-zA-Z0-9]/_}-$peer.hgrm"
  local a0 a1 c0 c1 v0 v1_0 extra=""
  read -r v0 v1_0 < <(canary_counts)
  a0=$(accepts); c0=$(cpu_ticks "$pid")
  run_tool "$tool" "$url" "$secs" "$out" "$hist"
  c1=$(cpu_ticks "$pid"); a1=$(accepts)
  local rps p50 p75 p90 p99 req err
  read -r rps p50 p75 p90 p99 req err < <(parse_tool "$tool" "$out")
  local cpu="NA" acc="NA" cpusecs="$secs"
  [ "$tool" = loadgen ] && cpusecs=$((secs + FR_WARM))
  [[ "$c0" =~ ^[0-9]+$ && "$c1" =~ ^[0-9]+$ ]] && cpu=$(awk -v a="$c0" -v b="$c1" -v k="$CLK" 'BEGIN {printf "%.2f", (b - a) / k}')
  [[ "$a0" =~ ^[0-9]+$ && "$a1" =~ ^[0-9]+$ ]] && acc=$((a1 - a0 - 1))   # minus our own stub_status read
  if [ "$cs" = "canary 90/10" ]; then
    sleep 0.3
    local w1 w2; read -r w1 w2 < <(canary_counts)
    extra="v1=$((w1 - v0));v2=$((w2 - v1_0))"
  fi
  [ -n "$hist" ] && [ -s "$hist" ] && extra="hist=$hist"
  local note=""
  [ "$rps" = NA ] && note="tool produced no result (see $(basename "$out"))"
  row "$round" "$wl" "$cs" "$peer" "$tool" "$rps" "$p50" "$p75" "$p90" "$p99" "$req" "$err" "$cpu" \
      "$(hwm_kb "$pid")" NA "$acc" "$cpusecs" "$extra" "$note"
  log "round $round $wl $cs $peer: ${rps} rps p50=${p50} p99=${p99} ms, backend accepts ${acc}, errors ${err}"
}

# ---------------------------------------------------------------- probes
declare -A SUPPORTED=()   # "wl|case|peer" -> 1, or absent with a reason in UNSUPPORTED
declare -A UNSUPPORTED=()
probe() { # wl case peer kind path
  local key="$1|$2|$3" url; url=$(url_for "$3" "$4" "$5")
  local code args=(-sk -o /dev/null -w '%{http_code}' --max-time 5)
  if [ "$1" = W3 ]; then args+=(--http2); else args+=(--http1.1); fi
  [ "$5" = /post ] && args+=(--data-binary "@$W/64k.txt" -H 'Content-Type: application/octet-stream')
  [ "$5" = /r0/ok ] && url=$(url_for "$3" "$4" /r500/ok)
  code=$(curl "${args[@]}" "$url" 2>/dev/null || true)
  if [ "$code" = 200 ]; then
    SUPPORTED[$key]=1
  else
    UNSUPPORTED[$key]="not yet supported (probe $url answered ${code:-nothing})"
  fi
}

# ---------------------------------------------------------------- main
main() {
  local t_start=$SECONDS
  ensure_tools
  getent ahosts localhost | awk '{print $1}' | grep -qvE '^(127\.|::1$)' && {
    echo "bench: localhost resolves to a non-loopback address; refusing to run" >&2; exit 1; }
  ensure_jars
  make_files
  echo -e "round\tworkload\tcase\tpeer\ttool\trps\tp50_ms\tp75_ms\tp90_ms\tp99_ms\trequests\terrors\tcpu_s\trss_kb\theap_kb\taccepts\tseconds\textra\tnote" > "$RAW"
  local load_start; load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  start_all
  FR_WARM=3; [ "$SMOKE" = 1 ] && FR_WARM=1

  mapfile -t CASES < <(all_cases | while IFS='|' read -r wl cs peers tool spec; do
    has "$WORKLOADS" "$wl" && echo "$wl|$cs|$peers|$tool|$spec"; done)
  [ ${#CASES[@]} -gt 0 ] || { echo "bench: no workload selected" >&2; exit 2; }

  # which peer serves which case (one request each); unsupported ones get a row saying so
  for c in "${CASES[@]}"; do
    IFS='|' read -r wl cs peers tool spec <<<"$c"
    for peer in ${peers//,/ }; do
      has "$PEERS" "$peer" || continue
      probe "$wl" "$cs" "$peer" ${spec% *} ${spec#* }
    done
  done

  # warm-up: every served case briefly on the C peers, longer on the JVM (JIT)
  [ "$WARMUP" -gt 0 ] && log "warm-up: ${WARMUP} s for Meshgate, 1 s per case for the others"
  local n_mesh=0
  for c in "${CASES[@]}"; do IFS='|' read -r wl cs _ _ _ <<<"$c"; [ -n "${SUPPORTED[$wl|$cs|meshgate]:-}" ] && n_mesh=$((n_mesh + 1)); done
  for c in "${CASES[@]}"; do
    [ "$WARMUP" -gt 0 ] || break
    IFS='|' read -r wl cs peers tool spec <<<"$c"
    for peer in ${peers//,/ }; do
      [ -n "${SUPPORTED[$wl|$cs|$peer]:-}" ] || continue
      local secs=1
      [ "$peer" = meshgate ] && secs=$(( (WARMUP + n_mesh - 1) / n_mesh ))
      [ "$tool" = loadgen ] && continue   # the load generator warms up itself
      run_tool "$tool" "$(url_for "$peer" ${spec% *} ${spec#* })" "$secs" "$W/out/warmup.txt"
    done
  done

  for round in $(seq 1 "$ROUNDS"); do
    log "round $round of $ROUNDS"
    for c in "${CASES[@]}"; do
      IFS='|' read -r wl cs peers tool spec <<<"$c"
      for peer in ${peers//,/ }; do
        has "$PEERS" "$peer" || continue
        if [ -z "${SUPPORTED[$wl|$cs|$peer]:-}" ]; then
          row "$round" "$wl" "$cs" "$peer" "$tool" NA NA NA NA NA NA NA NA NA NA NA NA "" "${UNSUPPORTED[$wl|$cs|$peer]}"
          continue
        fi
        measure "$round" "$wl" "$cs" "$peer" "$tool" "$(url_for "$peer" ${spec% *} ${spec#* })" "$DURATION"
      done
    done
    for peer in direct nginx haproxy meshgate; do
      [ -n "${PID[$peer]:-}" ] || continue
      local heap=NA
      [ "$peer" = meshgate ] && kill -0 "${PID[meshgate]}" 2>/dev/null && heap=$(heap_after_gc_kb "${PID[meshgate]}")
      row "$round" MEM "live heap after GC" "$peer" proc 0 NA NA NA NA NA NA NA "$(hwm_kb "${PID[$peer]}")" \
          "${heap:-NA}" NA NA "" ""
    done
  done

  local host date name outdir
  host=$(hostname -s 2>/dev/null || hostname); date=$(date +%Y-%m-%d)
  name="$date-$host"
  [ "$SMOKE" = 1 ] && name="smoke-$name"
  outdir="${OUT:-$([ "$SMOKE" = 1 ] && echo "$W/results" || echo "$PERF/results")}"
  mkdir -p "$outdir"
  {
    echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "host=$host ($(nproc) CPUs, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'), $(free -m | awk '/Mem:/ {print $2}') MiB)"
    echo "kernel=$(uname -r)"
    echo "mode=$([ "$SMOKE" = 1 ] && echo 'smoke (proves the harness runs; numbers mean nothing)' || echo full)"
    echo "rounds=$ROUNDS"
    echo "duration=$DURATION"
    echo "warm-up=${WARMUP} s (Meshgate, spread over its cases), 1 s per case for the C peers"
    echo "load average (1/5/15 min) at start=$load_start"
    echo "load average at end=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "closed-loop load=wrk -t2 -c50 --latency (HTTP/1.1); h2load -t2 -c10 -m100 (h2); both on the same CPUs as the peers"
    echo "open-loop load=OpenLoopLoadGen $FR_RATE rps, $FR_CONNS connections, latency from intended send time"
    echo "versions=$(nginx -v 2>&1 | sed 's/.*: //'), HAProxy $(haproxy -v | awk 'NR==1 {print $3}'), $(wrk -v 2>&1 | awk 'NR==1 {print $1, $2}'), $(h2load --version | head -1), $(java -version 2>&1 | head -1)"
    echo "meshgate=commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), JVM ${MESHGATE_JAVA_OPTS:--Xms128m -Xmx128m}, flags: $([[ "$MESHGATE_HELP" == *--event-loops* ]] && echo '--event-loops 1' || echo 'default (no --event-loops flag yet)')"
    echo "peers=one worker each (nginx worker_processes 1, HAProxy nbthread 1, Meshgate 1 event loop); upstream keep-alive on"
    echo "wall time=$((SECONDS - t_start)) s"
  } > "$W/meta.txt"
  local headline=""
  [ "$SMOKE" = 0 ] && headline="$W/headline.md"
  java -cp "$PERF_JAR" dev.meshgate.perf.report.Report --raw "$RAW" --out "$outdir" --name "$name" \
      --meta "$W/meta.txt" ${headline:+--headline "$headline"} >&2
  cp "$RAW" "$outdir/$name.tsv"
  if [ -n "$headline" ] && [ -z "$OUT" ]; then
    "$LIB/readme-headline.sh" "$PERF/README.md" "$headline"
  fi
  if [ "$SMOKE" = 1 ]; then
    # the smoke test proves the harness end to end; it asserts nothing about speed
    local ok
    ok=$(awk -F'\t' 'NR > 1 && $2 != "MEM" && $6 != "NA" && $6 > 0' "$RAW" | wc -l)
    [ "$ok" -ge 1 ] || { echo "bench smoke: no workload produced a measurement" >&2; exit 1; }
    [ -s "$outdir/$name.md" ] || { echo "bench smoke: no report" >&2; exit 1; }
    ls "$outdir"/*.png >/dev/null 2>&1 || { echo "bench smoke: no plots" >&2; exit 1; }
    log "smoke OK in $((SECONDS - t_start)) s: $outdir/$name.md"
  fi
  echo "$outdir/$name.md"
}

main
