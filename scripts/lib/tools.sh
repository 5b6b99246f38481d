# Sourced: installs the command-line tools and packages the scripts need, when missing and when
# root. The one place a script of this project runs apt-get.
# shellcheck shell=bash

need_package() { # need_package DEBIAN_PACKAGE: installs it (root only); 1 if that failed
  local package=$1
  if [[ $(id -u) != 0 ]]; then
    nin_die "$package is not installed: install it (sudo apt-get install -y $package)"
  fi
  command -v apt-get >/dev/null || nin_die "$package is not installed and this is no Debian/Ubuntu system (no apt-get): install it"
  nin_log "installing $package"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" >/dev/null 2>&1; }
}

need_tool() { # need_tool COMMAND DEBIAN_PACKAGE...: installs the first package that provides it
  local command=$1
  shift
  command -v "$command" >/dev/null && return 0
  if [[ $(id -u) != 0 ]]; then
    nin_die "$command not found: install it (sudo apt-get install -y $1)"
  fi
  local package
  for package in "$@"; do
    if need_package "$package"; then
      command -v "$command" >/dev/null && return 0
    fi
  done
  nin_die "could not install $command (tried: $*)"
}
