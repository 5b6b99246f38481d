# Sourced: installs the command-line tools the checks need, when missing and when root.
# shellcheck shell=bash

need_tool() { # need_tool COMMAND DEBIAN_PACKAGE...: installs the first package that provides it
  local command=$1
  shift
  command -v "$command" >/dev/null && return 0
  if [[ $(id -u) != 0 ]]; then
    nin_die "$command not found: install it (sudo apt-get install -y $1)"
  fi
  local package
  for package in "$@"; do
    nin_log "installing $package (for $command)"
    if apt-get install -y -q "$package" >/dev/null 2>&1 \
        || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$package" >/dev/null 2>&1; }; then
      command -v "$command" >/dev/null && return 0
    fi
  done
  nin_die "could not install $command (tried: $*)"
}
