#!/usr/bin/env bash
# Runs the benchmark suite (Aetherflow.Benchmarks) in Release and writes docs/benchmarks.md.
#   scripts/bench.sh                 every measure, full repetitions; rewrites docs/benchmarks.md
#   scripts/bench.sh --quick         smoke run: few repetitions and small sizes; prints the report instead
#   scripts/bench.sh --only a,b      only these measures (prints the report instead of rewriting the doc)
# Any other arguments are passed to the harness (see Aetherflow.Benchmarks/Program.cs).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

partial=0
for arg in "$@"; do
  case "$arg" in --quick|--only) partial=1 ;; esac
done

# The measures drive tmux (first frame) and git (agents' worktrees) for real.
for tool in tmux git python3; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing; run scripts/install-test-tools.sh" >&2; exit 1; }
done

dotnet build Aetherflow.Benchmarks/Aetherflow.Benchmarks.csproj -c Release -v quiet -nologo
bench="$root/Aetherflow.Benchmarks/bin/Release/net10.0/Aetherflow.Benchmarks"
args=(--root "$root" --aetherflow "$root/Aetherflow.Tui/bin/Release/net10.0/aetherflow")
if [ "$partial" = 0 ]; then
  args+=(--out "$root/docs/benchmarks.md")
fi
exec "$bench" "${args[@]}" "$@"
