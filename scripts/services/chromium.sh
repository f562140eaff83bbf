# The console's browser tests drive Debian's Chromium through its ChromeDriver (never a downloaded browser); the README
# examples are run with curl. Only the binaries are needed: each test class starts its own headless browser.
ensure_packages chromium chromium chromium-driver || return 1
ensure_packages chromedriver chromium-driver || return 1
ensure_packages curl curl || return 1
export FACTCHECK_TEST_CHROMIUM=$(command -v chromium)
export FACTCHECK_TEST_CHROMEDRIVER=$(command -v chromedriver)
