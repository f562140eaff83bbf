# Redis: the tests start their own redis-server processes (they kill and restart them), so only the binary is needed.
ensure_packages redis-server redis-server redis-tools || return 1
# Debian's package starts a system-wide instance on 6379; the tests never use it.
export FACTCHECK_TEST_REDIS_SERVER=$(command -v redis-server)
