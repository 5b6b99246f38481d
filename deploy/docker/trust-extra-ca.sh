#!/bin/sh
# Trusts extra CA certificates for the rest of an image build: the PEM text in $1 (one or more
# certificates, e.g. a TLS-inspecting proxy's), added one per file to the system store
# (update-ca-certificates reads one certificate a file) and to Java's own truststore, which is
# what Maven uses. Nothing to do when $1 is empty.
set -eu
pem=${1:-}
[ -n "$pem" ] || exit 0
dir=$(mktemp -d)
printf '%s\n' "$pem" | awk -v dir="$dir" '/-----BEGIN CERTIFICATE-----/ {n++} n {f = dir "/extra-ca-" n ".crt"; print > f} /-----END CERTIFICATE-----/ {close(f)}'
count=$(ls "$dir" | wc -l)
[ "$count" -gt 0 ] || { echo "EXTRA_CA_CERTS holds no PEM certificate" >&2; exit 1; }
if [ -d /usr/local/share/ca-certificates ] && command -v update-ca-certificates >/dev/null; then
  cp "$dir"/*.crt /usr/local/share/ca-certificates/
  update-ca-certificates >/dev/null
fi
if command -v keytool >/dev/null; then
  for f in "$dir"/*.crt; do
    keytool -importcert -cacerts -noprompt -storepass changeit -alias "nin-$(basename "$f" .crt)" -file "$f" >/dev/null
  done
fi
rm -rf "$dir"
echo "trusting $count extra CA certificate(s)"
