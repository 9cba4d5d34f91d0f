#!/usr/bin/env bash
# Installs the tools the test suite drives for real: tmux, python3, git and socat from Debian when missing, gcc (the
# native linker of the Native AOT publish that NativeAotBinaryTests makes), and a pinned opencode (npm package
# opencode-ai) into the project-local folder .tools/opencode.
set -euo pipefail

missing=()
for tool in tmux python3 git socat gcc; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
  echo "installing ${missing[*]} from apt" >&2
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${missing[@]}"
  else sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}"; fi
fi

# opencode: the integration tests run the real binary against the scripted model server (fully offline).
# Pinned, because the tests rely on the exact HTTP API and behaviour measured on this version.
opencode_version=1.18.33
opencode_dir="$(cd "$(dirname "$0")/.." && pwd)/.tools/opencode"
installed_version=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$opencode_dir/node_modules/opencode-ai/package.json" 2>/dev/null | head -n 1 || true)
if [ "$installed_version" != "$opencode_version" ] || [ ! -x "$opencode_dir/node_modules/.bin/opencode" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: install Node.js with npm (e.g. apt-get install npm), then run scripts/install-test-tools.sh again" >&2
    exit 1
  fi
  echo "installing opencode-ai@$opencode_version into $opencode_dir" >&2
  mkdir -p "$opencode_dir"
  npm install --prefix "$opencode_dir" --no-audit --no-fund --no-save --loglevel=error "opencode-ai@$opencode_version" >&2
fi
