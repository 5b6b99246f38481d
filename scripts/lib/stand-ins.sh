# Sourced: makes sure every base image the project's Dockerfile and docker-compose.yml name exists
# in the engine. An image that is there, or that the registry serves, is used as it is; one that
# cannot be pulled (no registry reachable, as on these build machines) is replaced by a stand-in
# built under the same tag from a Debian root file system (debootstrap), from the Dockerfiles in
# deploy/docker/stand-ins. The project's own images are never stand-ins: they are always built from
# the project's Dockerfile. Stand-ins carry the label dev.nin.stand-in-for.
# shellcheck shell=bash

# Official images in the order their stand-ins build on each other.
NIN_BASE_IMAGES=(debian:bookworm-slim eclipse-temurin:17-jre maven:3.9-eclipse-temurin-17 postgres:16 apache/kafka:4.1.0)
NIN_DEBIAN_MIRROR="${NIN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

stand_in_of() { # prints the official tag a stand-in image stands for, or nothing
  docker image inspect --format '{{index .Config.Labels "dev.nin.stand-in-for"}}' "$1" 2>/dev/null | grep -v '^<no value>$' || true
}

stand_in_debian() {
  local rootfs="$NIN_DOCKER_DIR/rootfs-bookworm"
  source "$NIN_ROOT/scripts/lib/tools.sh"
  need_tool debootstrap debootstrap
  if [[ ! -f "$rootfs/.complete" ]]; then
    rm -rf "$rootfs"
    nin_log "debootstrap: a minimal Debian bookworm root file system from $NIN_DEBIAN_MIRROR"
    debootstrap --variant=minbase bookworm "$rootfs" "$NIN_DEBIAN_MIRROR" >"$NIN_DOCKER_DIR/debootstrap.log" 2>&1 \
      || nin_die "debootstrap failed (see $NIN_DOCKER_DIR/debootstrap.log)"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    touch "$rootfs/.complete"
  fi
  tar -C "$rootfs" --exclude=./.complete -c . \
    | docker import --change 'LABEL dev.nin.stand-in-for=debian:bookworm-slim' --change 'CMD ["bash"]' \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - debian:bookworm-slim >/dev/null
}

stand_in_dockerfile() { # the stand-in Dockerfile of an official tag (none for debian, imported)
  case "$1" in
    eclipse-temurin:*) echo jre.Dockerfile ;;
    maven:*) echo maven.Dockerfile ;;
    postgres:*) echo postgres.Dockerfile ;;
    apache/kafka:*) echo kafka.Dockerfile ;;
  esac
}

stand_in_digest() { # stand_in_digest DOCKERFILE: a hash of it and the files named after it
  local stem=${1%.Dockerfile}
  (cd "$NIN_ROOT/deploy/docker/stand-ins" && find "$stem"* -type f | sort | xargs sha256sum) | sha256sum | cut -c1-16
}

stand_in_build() { # stand_in_build TAG DOCKERFILE
  docker build -q -t "$1" -f "$NIN_ROOT/deploy/docker/stand-ins/$2" \
    --label "dev.nin.stand-in-digest=$(stand_in_digest "$2")" \
    --build-arg EXTRA_CA_CERTS="${NIN_EXTRA_CA_CERTS:-}" "$NIN_ROOT/deploy/docker" >/dev/null \
    || nin_die "building the stand-in for $1 failed"
}

# Ensures every base image; sets NIN_STAND_INS to the tags that are stand-ins.
base_images_ensure() {
  NIN_STAND_INS=()
  local tag
  for tag in "${NIN_BASE_IMAGES[@]}"; do
    local dockerfile
    dockerfile=$(stand_in_dockerfile "$tag")
    if [[ -n "$(stand_in_of "$tag")" && -n "$dockerfile" \
        && "$(docker image inspect --format '{{index .Config.Labels "dev.nin.stand-in-digest"}}' "$tag")" != "$(stand_in_digest "$dockerfile")" ]]; then
      nin_log "the stand-in for $tag is older than its definition: rebuilding it"
      docker image rm -f "$tag" >/dev/null
    fi
    if ! docker image inspect "$tag" >/dev/null 2>&1 && ! docker pull -q "$tag" >/dev/null 2>&1; then
      local started=$SECONDS
      nin_log "$tag cannot be pulled: building a stand-in"
      if [[ -z "$dockerfile" ]]; then stand_in_debian; else stand_in_build "$tag" "$dockerfile"; fi
      nin_log "stand-in $tag built in $((SECONDS - started)) s"
    fi
    [[ -z "$(stand_in_of "$tag")" ]] || NIN_STAND_INS+=("$tag")
  done
}

# The host's CA certificates that Debian's own set lacks (a TLS-inspecting proxy's, say), as PEM:
# what a build behind such a proxy hands to EXTRA_CA_CERTS.
host_extra_ca_certs() {
  local bundle=/etc/ssl/certs/ca-certificates.crt known
  [[ -f "$bundle" ]] || return 0
  known=$(for f in /usr/share/ca-certificates/mozilla/*.crt; do
    openssl x509 -in "$f" -noout -fingerprint -sha256 2>/dev/null; done | sort -u)
  local dir
  dir=$(mktemp -d)
  awk -v dir="$dir" '/-----BEGIN CERTIFICATE-----/ {n++} n {f = dir "/" n ".pem"; print > f} /-----END CERTIFICATE-----/ {close(f)}' "$bundle"
  local f
  for f in "$dir"/*.pem; do
    grep -qxF "$(openssl x509 -in "$f" -noout -fingerprint -sha256 2>/dev/null)" <<<"$known" || cat "$f"
  done
  rm -rf "$dir"
}
