# ensure_packages: shared by scripts/test.sh (through scripts/services/common.sh) and bench/run.sh.

# Installs Debian packages when a command is missing (root, or passwordless sudo).
ensure_packages() { # command package...
  local command=$1
  shift
  command -v "$command" >/dev/null 2>&1 && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
  echo "installing $* ..."
  $sudo apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

