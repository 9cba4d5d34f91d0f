#!/usr/bin/env bash
# Installs the tools the test suite drives for real: tmux and python3 from Debian when missing.
set -euo pipefail

missing=()
for tool in tmux python3 git; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "installing ${missing[*]} from apt" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}"
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}"; fi
fi
