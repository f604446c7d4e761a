# shellcheck shell=bash
# The supervisor loop of make up (scripts/up.sh), in a file of its own so that tests can drive it with
# stand-in services (tests/ops/test_supervise.py).
#
# supervise SVC...: until a signal ends the script, start again each service whose process has exited,
# after its backoff: 1 s, doubling to 30 s, and back to 1 s once it has run STABLE_SECONDS. Each SVC has
# a function spawn_SVC that starts it in the background and records its pid in SERVICE_PID[SVC]. Each
# restart writes a line through say (defined by the caller).
#
# Why it polls rather than `wait -n`: a service that exits while this shell runs a foreground command
# (the `mv` of its pid file, the `date` of a log line) is reaped there and dropped from the job table,
# and `wait -n PID…` then reports "no such job" for it and blocks on the others for good. A killed
# bridge stayed down that way when it died just after a restart. `kill -0` sees the exit whatever
# reaped it, and `wait PID` still returns the status bash saved for it.
declare -A SERVICE_PID=()
SLEEP_PID=''

# pause SECONDS: a sleep that a signal interrupts at once (its trap runs, rather than after the sleep).
pause() {
  sleep "$1" &
  SLEEP_PID=$!
  wait "$SLEEP_PID"
  SLEEP_PID=''
}

supervise() {
  local svc pid status delay
  local -A backoff=() since=() restarts=()
  for svc in "$@"; do backoff[$svc]=1 since[$svc]=$SECONDS restarts[$svc]=0; done
  while true; do
    for svc in "$@"; do
      pid=${SERVICE_PID[$svc]}
      kill -0 "$pid" 2>/dev/null && continue
      wait "$pid"
      status=$?
      if ((SECONDS - since[$svc] >= STABLE_SECONDS)); then backoff[$svc]=1; fi
      delay=${backoff[$svc]}
      backoff[$svc]=$((delay * 2 > 30 ? 30 : delay * 2))
      restarts[$svc]=$((restarts[$svc] + 1))
      say "$svc exited (status $status) after $((SECONDS - since[$svc])) s; restart #${restarts[$svc]} in ${delay} s"
      pause "$delay"
      "spawn_$svc"
      since[$svc]=$SECONDS
      say "$svc restarted (pid ${SERVICE_PID[$svc]})"
    done
    pause 0.2
  done
}
