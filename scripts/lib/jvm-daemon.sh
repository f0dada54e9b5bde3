# shellcheck shell=bash
# Shared by scripts/kafka/kafka.sh and scripts/registry/registry.sh: the parts of running a JVM
# program in the background that do not depend on which program it is. Sourced, not run; the
# caller defines say(), die(), JAVA, LOGFILE and STOP_TIMEOUT first.

# require_java17 "<what needs it>": dies unless $JAVA runs and is Java 17 or newer.
require_java17() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found ($1 needs Java 17+; set JAVA_HOME)"
  local v
  v="$("$JAVA" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = //p' | head -n 1)"
  v="${v#1.}"
  v="${v%%.*}"
  if ! [[ "$v" =~ ^[0-9]+$ ]] || ((v < 17)); then
    die "$1 needs Java 17+, but '$JAVA' is Java ${v:-unknown} (set JAVA_HOME)"
  fi
}

# stop_pid <pid> "<name>": SIGTERM, wait up to STOP_TIMEOUT seconds, then SIGKILL.
stop_pid() {
  local pid=$1 name=$2
  say "stopping $name (pid $pid) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local t0=$SECONDS
  while kill -0 "$pid" 2>/dev/null && ((SECONDS - t0 < STOP_TIMEOUT)); do sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    say "still running after ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    local t1=$SECONDS
    while kill -0 "$pid" 2>/dev/null && ((SECONDS - t1 < 5)); do sleep 0.1; done
  fi
  say "stopped ($((SECONDS - t0))s)"
}

# print_logs <script name> [-f] [LINES]: the tail of LOGFILE.
print_logs() {
  local script=$1 follow="" lines=100 arg
  shift
  for arg in "$@"; do
    case "$arg" in
      -f | --follow) follow=1 ;;
      *[!0-9]* | "") die "usage: $script logs [-f] [LINES]" ;;
      *) lines="$arg" ;;
    esac
  done
  [[ -f "$LOGFILE" ]] || die "no log yet ($LOGFILE)"
  if [[ -n "$follow" ]]; then exec tail -n "$lines" -f "$LOGFILE"; fi
  tail -n "$lines" "$LOGFILE"
}

# print_usage <script path>: the script's leading comment block.
print_usage() {
  sed -n '2,/^set -euo/p' "$1" | sed '$d' | sed 's/^# \{0,1\}//'
}

# wait_until_ready <pid> <name> <address> <script name> <ready details>: polls probe() (defined by
# the caller) every half second for START_TIMEOUT seconds; exits 1 with the log's tail if the
# process dies or never answers.
wait_until_ready() {
  local pid=$1 name=$2 address=$3 script=$4 details=$5 t0=$SECONDS
  say "waiting for the $name on $address (up to ${START_TIMEOUT}s) ..."
  while ((SECONDS - t0 < START_TIMEOUT)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDFILE"
      say "the $name exited; last 50 lines of $LOGFILE:" >&2
      tail -n 50 "$LOGFILE" >&2 || true
      exit 1
    fi
    if probe; then
      say "$name ready on $address (pid $pid, ${details:+$details, }$((SECONDS - t0))s)"
      return 0
    fi
    sleep 0.5
  done
  say "the $name did not answer within ${START_TIMEOUT}s; last 50 lines of $LOGFILE:" >&2
  tail -n 50 "$LOGFILE" >&2 || true
  say "the process (pid $pid) is left running: '$script stop' stops it, '$script start' waits for it again" >&2
  exit 1
}
