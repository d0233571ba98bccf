#!/usr/bin/env bash
# HTTP throughput of TypedSessions beside ASP.NET Core's session and beside no session, in one run.
#
#   benchmarks/http-load.sh
#
# Builds benchmarks/LoadApp (one Kestrel app, three families of endpoints on the same cart: /none,
# /aspnet (AddSession), /typed (ISession<Cart>)), starts it on a free 127.0.0.1 port and drives each
# family's read (GET) and read-modify-write (POST) with wrk: 2 threads, 32 connections, DURATION
# seconds, the best of ROUNDS rounds (rounds interleave the endpoints, so a busy moment of the machine
# does not fall on one family only). Each family first gets SESSIONS sessions (cookies from a first
# POST), which the wrk script (benchmarks/http-load.lua) sends in turn.
# First on the memory stores (TypedSessions' memory store, ASP.NET Core's distributed memory cache),
# then on one redis-server that the script starts on a free port and stops by its PID (TypedSessions'
# Redis store, ASP.NET Core's session over AddStackExchangeRedisCache). For Redis it also counts the
# commands per request: INFO commandstats deltas over each wrk run (every command Redis executed,
# the ones a Lua script calls included), and the commands the app itself sent, counted with MONITOR
# over a few sequential requests (a script's inner calls are marked "lua" there and left out).
# Also reads the app's own CPU time (/proc/<pid>/stat) around each wrk run: CPU per request, which
# the machine's other load moves far less than throughput. Prints markdown tables and marks each
# target of the performance issue met or not met.
#
# Needs: the .NET SDK, curl, python3 (a free port), wrk and redis-server (installed with apt-get
# when missing; run as root). About 6 minutes with the defaults.
# Environment: DURATION=10 ROUNDS=2 SESSIONS=200 STORES="memory redis" WARMUP=3
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
SESSIONS=${SESSIONS:-200}
STORES=${STORES:-"memory redis"}
WARMUP=${WARMUP:-3}
THREADS=2
CONNECTIONS=32

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [[ " $STORES " == *" redis "* ]]; then
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
fi
if [ "${#need[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Needs Debian's ${need[*]}: run as root once, or apt-get install ${need[*]}." >&2
    exit 1
  fi
  echo "Installing ${need[*]}..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

work=$(mktemp -d)
app_pid=""
redis_pidfile="$work/redis.pid"
cleanup() {
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; wait "$app_pid" 2>/dev/null || true; fi
  if [ -f "$redis_pidfile" ]; then kill "$(cat "$redis_pidfile")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

log() { echo "$*" >&2; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

log "Building benchmarks/LoadApp (Release)..."
dotnet build benchmarks/LoadApp -c Release -nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
app_dll=benchmarks/LoadApp/bin/Release/net10.0/TypedSessions.LoadApp.dll

start_app() { # store [redis address]
  local port
  port=$(free_port)
  dotnet "$app_dll" --urls "http://127.0.0.1:$port" --Store="$1" ${2:+--Redis="$2"} >"$work/app-$1.log" 2>&1 &
  app_pid=$!
  base="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if curl -fs -o /dev/null "$base/none/read"; then return 0; fi
    sleep 0.2
  done
  log "The app did not start:"; cat "$work/app-$1.log" >&2; exit 1
}

stop_app() {
  kill "$app_pid" 2>/dev/null || true
  wait "$app_pid" 2>/dev/null || true
  app_pid=""
}

# One session per line: the cookies of a first read-modify-write, as a Cookie header value.
seed() { # family → file
  local file="$work/$1.cookies" cookie
  : >"$file"
  for _ in $(seq 1 "$SESSIONS"); do
    cookie=$(curl -fs -o /dev/null -D - -X POST "$base/$1/rmw" | tr -d '\r' \
      | sed -n 's/^[Ss]et-[Cc]ookie: *\([^;]*\).*/\1/p' | paste -sd';' | sed 's/;/; /g')
    [ -n "$cookie" ] || { log "No cookie from POST /$1/rmw"; exit 1; }
    echo "$cookie" >>"$file"
  done
  echo "$file"
}

# wrk on one endpoint; prints "req/s requests non2xx errors".
run_wrk() { # path method cookie-file seconds
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$4"s --timeout 5s -s benchmarks/http-load.lua "$base" -- "$1" "$2" "$3")
  echo "$out" >>"$work/wrk.log"
  local rps requests non2xx errors
  rps=$(echo "$out" | awk '/^Requests\/sec:/ {print $2}')
  requests=$(echo "$out" | awk '/requests in/ {print $1}')
  non2xx=$(echo "$out" | awk '/Non-2xx or 3xx responses:/ {print $NF}')
  errors=$(echo "$out" | awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}')
  echo "${rps:-0} ${requests:-0} ${non2xx:-0} ${errors:-0}"
}

commandstats() { # → "name calls" lines
  redis-cli -p "$redis_port" INFO commandstats | tr -d '\r' | sed -n 's/^cmdstat_\([^:]*\):calls=\([0-9]*\).*/\1 \2/p'
}

# The app's CPU time (user + system, in clock ticks) so far, from /proc.
app_cpu() { awk '{ print $14 + $15 }' "/proc/$app_pid/stat"; }
ticks_per_second=$(getconf CLK_TCK)

declare -A best requests_of stats_of cpu_of
cases="none:read none:rmw aspnet:read aspnet:rmw typed:read typed:rmw"

measure_store() { # store
  local store=$1 family mode path method cookies result rps reqs non2xx errors before after cpu
  for family in aspnet typed; do
    seed "$family" >/dev/null
  done
  : >"$work/none.cookies"
  log "[$store] warming up each endpoint for ${WARMUP}s"
  for c in $cases; do
    family=${c%%:*}; mode=${c##*:}
    method=GET; [ "$mode" = rmw ] && method=POST
    run_wrk "/$family/$mode" "$method" "$work/$family.cookies" "$WARMUP" >/dev/null
  done
  for round in $(seq 1 "$ROUNDS"); do
    for c in $cases; do
      family=${c%%:*}; mode=${c##*:}
      method=GET; [ "$mode" = rmw ] && method=POST
      [ "$store" = redis ] && redis-cli -p "$redis_port" CONFIG RESETSTAT >/dev/null
      before=$(app_cpu)
      read -r rps reqs non2xx errors < <(run_wrk "/$family/$mode" "$method" "$work/$family.cookies" "$DURATION")
      after=$(app_cpu)
      cpu=$(awk -v t=$((after - before)) -v hz="$ticks_per_second" -v n="$reqs" 'BEGIN { if (n > 0) printf "%.2f", t * 1000000 / hz / n; else print 0 }')
      log "[$store] round $round $method /$family/$mode: $rps req/s ($reqs requests, $non2xx non-2xx, $errors socket errors), app CPU $cpu µs per request"
      # The least CPU a request took in any round: what the request costs the app, whatever else ran then.
      if [ -z "${cpu_of[$store:$c]:-}" ] || awk -v a="$cpu" -v b="${cpu_of[$store:$c]}" 'BEGIN { exit !(a < b) }'; then
        cpu_of[$store:$c]=$cpu
      fi
      if [ "$non2xx" != 0 ] || [ "$errors" != 0 ]; then
        log "  warning: $non2xx non-2xx answers and $errors socket errors (see the app's log)"
      fi
      if awk -v a="$rps" -v b="${best[$store:$c]:-0}" 'BEGIN { exit !(a > b) }'; then
        best[$store:$c]=$rps
        requests_of[$store:$c]=$reqs
        if [ "$store" = redis ]; then
          stats_of[$store:$c]=$(commandstats | awk -v n="$reqs" '$1 != "info" && $1 != "config|resetstat" && $2 > 0 { printf "%s%s %.2f", sep, toupper($1), $2 / n; sep = ", " }')
        fi
      fi
    done
  done
}

# Commands the app sent to Redis for one request, from MONITOR over N sequential requests:
# prints "client-commands-per-request|breakdown|lua-inner-breakdown".
monitor_count() { # path method cookie-file n
  local n=$4 mon="$work/monitor.txt" mon_pid cookie i=0
  sleep 1 # requests of the last wrk run still in flight
  redis-cli -p "$redis_port" MONITOR >"$mon" &
  mon_pid=$!
  sleep 0.5
  while read -r cookie && [ "$i" -lt "$n" ]; do
    curl -fs -o /dev/null -X "$2" -H "Cookie: $cookie" "$base$1"
    i=$((i + 1))
  done <"$3"
  sleep 0.5
  kill "$mon_pid" 2>/dev/null || true
  wait "$mon_pid" 2>/dev/null || true
  awk -v n="$i" '
    / \[[0-9]+ lua\] / { split($0, p, "] "); split(p[2], w, " "); gsub("\"", "", w[1]); lua[toupper(w[1])]++; next }
    / \[[0-9]+ [0-9.:]+\] / { split($0, p, "] "); split(p[2], w, " "); gsub("\"", "", w[1]); c = toupper(w[1]);
      if (c == "PING" || c == "ECHO" || c == "INFO" || c == "CLUSTER" || c == "CLIENT" || c == "CONFIG" || c == "SUBSCRIBE") next;
      sent[c]++; total++ }
    END {
      printf "%.2f|", total / n
      sep = ""; for (c in sent) { printf "%s%s %.2f", sep, c, sent[c] / n; sep = ", " }
      printf "|"
      sep = ""; for (c in lua) { printf "%s%s %.2f", sep, c, lua[c] / n; sep = ", " }
      printf "\n"
    }' "$mon"
}

declare -A sent_of
for store in $STORES; do
  if [ "$store" = redis ]; then
    redis_port=$(free_port)
    redis-server --port "$redis_port" --bind 127.0.0.1 --daemonize yes --pidfile "$redis_pidfile" \
      --dir "$work" --save '' --appendonly no --logfile "$work/redis.log"
    for _ in $(seq 1 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    start_app redis "127.0.0.1:$redis_port"
  else
    start_app memory
  fi
  measure_store "$store"
  if [ "$store" = redis ]; then
    for c in aspnet:read aspnet:rmw typed:read typed:rmw typed:same; do
      family=${c%%:*}; mode=${c##*:}
      method=GET; [ "$mode" != read ] && method=POST
      sent_of[$c]=$(monitor_count "/$family/$mode" "$method" "$work/$family.cookies" 50)
    done
  fi
  stop_app
  if [ "$store" = redis ]; then
    kill "$(cat "$redis_pidfile")" 2>/dev/null || true
    rm -f "$redis_pidfile"
  fi
done

# ---- Report -------------------------------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
met() { awk -v r="$1" -v t="$2" 'BEGIN { print (r != "n/a" && r + 0 >= t) ? "met" : "**not met**" }'; }
fmt() { awk -v a="$1" 'BEGIN { printf "%\047.0f", a }'; }

echo
echo "## HTTP throughput ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); wrk -t$THREADS -c$CONNECTIONS, ${DURATION}s, best of $ROUNDS, $SESSIONS sessions per family)"
echo
echo "| store | request | no session (req/s) | ASP.NET Core session (req/s, × no session) | TypedSessions (req/s, × no session) | TypedSessions ÷ ASP.NET Core |"
echo "|---|---|---:|---:|---:|---:|"
for store in $STORES; do
  for mode in read rmw; do
    none=${best[$store:none:$mode]:-0}; asp=${best[$store:aspnet:$mode]:-0}; typ=${best[$store:typed:$mode]:-0}
    label=read; [ "$mode" = rmw ] && label=read-modify-write
    echo "| $store | $label | $(fmt "$none") | $(fmt "$asp") ($(ratio "$asp" "$none")×) | $(fmt "$typ") ($(ratio "$typ" "$none")×) | $(ratio "$typ" "$asp")× |"
  done
done

echo
echo "## App CPU per request (µs of the app's user + system time ÷ its requests; the least of $ROUNDS rounds)"
echo
echo "wrk and the app share the machine's cores, so throughput ratios move with whatever else runs; the app's"
echo "own CPU per request does not, and the difference to no session is what the session costs a request."
echo
echo "| store | request | no session | ASP.NET Core session (+ over no session) | TypedSessions (+ over no session) |"
echo "|---|---|---:|---:|---:|"
for store in $STORES; do
  for mode in read rmw; do
    none=${cpu_of[$store:none:$mode]:-0}; asp=${cpu_of[$store:aspnet:$mode]:-0}; typ=${cpu_of[$store:typed:$mode]:-0}
    label=read; [ "$mode" = rmw ] && label=read-modify-write
    plus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f (+%.2f)", a, a - b }'; }
    echo "| $store | $label | $none | $(plus "$asp" "$none") | $(plus "$typ" "$none") |"
  done
done

if [[ " $STORES " == *" redis "* ]]; then
  echo
  echo "## Redis commands per request"
  echo
  echo "| endpoint | sent by the app (MONITOR, 50 sequential requests) | executed by Redis during the wrk run (INFO commandstats delta ÷ requests; script calls included) | inside scripts (MONITOR \"lua\") |"
  echo "|---|---|---|---|"
  for c in aspnet:read aspnet:rmw typed:read typed:rmw typed:same; do
    IFS='|' read -r total breakdown inner <<<"${sent_of[$c]}"
    echo "| ${c/:/ } | $total: $breakdown | ${stats_of[redis:$c]:-(not run under wrk)} | ${inner:-none} |"
  done
fi

echo
echo "## Targets"
echo
echo "| target | figure | |"
echo "|---|---|---|"
if [[ " $STORES " == *" memory "* ]]; then
  r=$(ratio "${best[memory:typed:read]:-0}" "${best[memory:none:read]:-0}")
  echo "| memory store, read ≥ 0.95× no session | $r× | $(met "$r" 0.95) |"
  r=$(ratio "${best[memory:typed:rmw]:-0}" "${best[memory:none:rmw]:-0}")
  echo "| memory store, read-modify-write ≥ 0.85× no session | $r× | $(met "$r" 0.85) |"
fi
if [[ " $STORES " == *" redis "* ]]; then
  r=$(ratio "${best[redis:typed:read]:-0}" "${best[redis:aspnet:read]:-0}")
  echo "| Redis, read ≥ 2× ASP.NET Core's session | $r× | $(met "$r" 2) |"
  r=$(ratio "${best[redis:typed:rmw]:-0}" "${best[redis:aspnet:rmw]:-0}")
  echo "| Redis, read-modify-write ≥ 2× ASP.NET Core's session | $r× | $(met "$r" 2) |"
  read_total=$(cut -d'|' -f1 <<<"${sent_of[typed:read]}")
  rmw_total=$(cut -d'|' -f1 <<<"${sent_of[typed:rmw]}")
  rmw_writes=$(cut -d'|' -f2 <<<"${sent_of[typed:rmw]}" | tr ',' '\n' | awk '$1 != "HMGET" { s += $2 } END { printf "%.2f", s }')
  same_writes=$(cut -d'|' -f2 <<<"${sent_of[typed:same]}" | tr ',' '\n' | awk '$1 != "HMGET" && NF { s += $2 } END { printf "%.2f", s }')
  same_total=$(cut -d'|' -f1 <<<"${sent_of[typed:same]}")
  eq() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + 0 == b + 0) ? "met" : "**not met**" }'; }
  echo "| Redis, a read = 1 command | $read_total | $(eq "$read_total" 1) |"
  # A server that remembers the slot (RecentSlots) skips the read: at most 1 read, exactly 1 write.
  rmw_ok=$(awk -v t="$rmw_total" -v w="$rmw_writes" 'BEGIN { print (w + 0 == 1 && t + 0 <= 2) ? "met" : "**not met**" }')
  echo "| Redis, a changed slot = at most 1 read + 1 conditional write | $rmw_total (writes: $rmw_writes) | $rmw_ok |"
  echo "| Redis, an unchanged request = 0 writes (UpdateAsync returning the same state) | $same_total commands, writes: $same_writes | $(eq "$same_writes" 0) |"
fi
