#!/usr/bin/env bash
# Makes sure the official Fashion-MNIST IDX files are present and intact.
# Usage: scripts/dataset.sh [--verify]   (--verify also checks the SHA-256 of every file)
set -euo pipefail
source "$(dirname "$0")/lib/env.sh"

DIR="${NIN_DATASET_DIR:-/usr/share/datasets/fashion-mnist}"
# SHA-256 of the decompressed official files (also in ingest-service, which checks them on load).
declare -A SHA256=(
  [train-images-idx3-ubyte]=c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888
  [train-labels-idx1-ubyte]=bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9
  [t10k-images-idx3-ubyte]=5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b
  [t10k-labels-idx1-ubyte]=0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34
)

find_file() { # prints the path of a file, plain or gzipped, or nothing
  local name=$1
  if [[ -f "$DIR/$name" ]]; then echo "$DIR/$name"; elif [[ -f "$DIR/$name.gz" ]]; then echo "$DIR/$name.gz"; fi
}

missing=()
for name in "${!SHA256[@]}"; do
  [[ -n "$(find_file "$name")" ]] || missing+=("$name")
done

if ((${#missing[@]} > 0)); then
  if [[ "$DIR" != /usr/share/datasets/fashion-mnist ]]; then
    nin_die "missing in $DIR: ${missing[*]} (NIN_DATASET_DIR points there; unset it to use the Debian package)"
  fi
  if [[ $(id -u) -ne 0 ]]; then
    nin_die "Fashion-MNIST is not installed. Run: sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist"
  fi
  nin_log "installing Debian package dataset-fashion-mnist (official Fashion-MNIST IDX files, ~30 MB)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null
fi

if [[ "${1:-}" == --verify ]]; then
  for name in "${!SHA256[@]}"; do
    file=$(find_file "$name")
    if [[ "$file" == *.gz ]]; then actual=$(gzip -dc "$file" | sha256sum | cut -d' ' -f1); else actual=$(sha256sum "$file" | cut -d' ' -f1); fi
    [[ "$actual" == "${SHA256[$name]}" ]] || nin_die "$file: SHA-256 $actual, expected ${SHA256[$name]} (corrupt or not the official file)"
  done
  nin_log "Fashion-MNIST verified in $DIR (4 files, SHA-256 match)"
else
  nin_log "Fashion-MNIST present in $DIR"
fi
