# Helpers for the services the tests need; sourced by scripts/test.sh.
# Everything runs on loopback, on free ports, under .test-services/, and is stopped when the script exits.

service_root="$root/.test-services"
mkdir -p "$service_root"
cleanups=()
run_cleanups() {
  local i
  for ((i = ${#cleanups[@]} - 1; i >= 0; i--)); do eval "${cleanups[$i]}" || true; done
}
trap run_cleanups EXIT

source "$root/scripts/packages.sh"

# A TCP port on 127.0.0.1 nobody listens on (bash's /dev/tcp connect fails when nothing is there).
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 30000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}
