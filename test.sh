#!/usr/bin/env bash
# Runs every test of Aetherflow on a fresh machine: installs what the tests need, builds, tests,
# and ends with one plain line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Tests create real git repositories; give them an identity without touching the user's git config.
export GIT_AUTHOR_NAME="Aetherflow Tests" GIT_AUTHOR_EMAIL="tests@aetherflow.invalid"
export GIT_COMMITTER_NAME="Aetherflow Tests" GIT_COMMITTER_EMAIL="tests@aetherflow.invalid"

scripts/install-test-tools.sh

results="$root/TestResults"
rm -rf "$results"
dotnet restore aetherflow.sln
dotnet build aetherflow.sln -c Release --no-restore
status=0
# One test project at a time: both drive real processes (opencode, tmux), and on two cores they would starve each other.
for project in Aetherflow.Engine.Tests Aetherflow.Tui.Tests; do
  dotnet test "$project" -c Release --no-build --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?
done

python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
passed = failed = 0
faults = {"passed": 0, "failed": 0}
for path in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    root = ET.parse(path).getroot()
    counters = root.find(".//{*}Counters")
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    names = {d.get("id"): d.find("{*}TestMethod").get("className", "") for d in root.findall(".//{*}UnitTest")}
    for result in root.findall(".//{*}UnitTestResult"):
        if ".Faults." in names.get(result.get("testId"), ""):
            faults["passed" if result.get("outcome") == "Passed" else "failed"] += 1
print(f"fault suite (docs/reliability.md): {faults['passed']} passed, {faults['failed']} failed")
print(f"{passed} passed, {failed} failed")
PY
exit $status
