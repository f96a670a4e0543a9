#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis that the scale-out tests use answer on
# 127.0.0.1: installs them with apt-get when missing, starts them the way this
# machine runs them (no systemd), creates the `test` database and lets user
# postgres connect over 127.0.0.1 without a password. Idempotent, and silent
# when everything is already in place. A service given by TEST_DATABASE_URL or
# TEST_REDIS_URL is left alone (it is someone else's). Run by npm test's pretest
# (scripts/pretest.ts) after the OS programs the tests need.
set -euo pipefail

PG_PORT="${PG_PORT:-5432}"
REDIS_PORT="${REDIS_PORT:-6379}"
TEST_DB="test"
HBA_LINE="host all postgres 127.0.0.1/32 trust # openjules tests"

say() { echo "ensure-services: $*" >&2; }
die() { say "$*"; exit 1; }

pg_answers() { command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; }
redis_answers() { command -v redis-cli >/dev/null && [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }
pg_trusts() { psql -w -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc "SELECT 1" >/dev/null 2>&1; }
as_postgres() { runuser -u postgres -- "$@"; }

wait_for() {
  local what="$1" check="$2"
  for _ in $(seq 1 60); do
    "$check" && return 0
    sleep 0.5
  done
  die "$what did not answer on 127.0.0.1 within 30 s"
}

install_packages() {
  [ "$#" -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "$* missing and not root: install them (apt-get install -y $*) or set TEST_DATABASE_URL/TEST_REDIS_URL"
  say "installing $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if ! pg_answers; then
    command -v pg_ctlcluster >/dev/null || install_packages postgresql
    local version
    version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
    [ -n "$version" ] || die "no PostgreSQL cluster under /etc/postgresql (create one with pg_createcluster)"
    say "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    wait_for PostgreSQL pg_answers
  fi
  if ! pg_trusts; then
    [ "$(id -u)" -eq 0 ] || die "user postgres cannot connect to 127.0.0.1:$PG_PORT without a password, and fixing pg_hba.conf needs root"
    local hba
    hba="$(as_postgres psql -p "$PG_PORT" -Atqc "SHOW hba_file")"
    if ! grep -qF "$HBA_LINE" "$hba"; then
      say "letting user postgres connect over 127.0.0.1 without a password ($hba)"
      sed -i "1i $HBA_LINE" "$hba"
    fi
    as_postgres psql -p "$PG_PORT" -Atqc "SELECT pg_reload_conf()" >/dev/null
    wait_for "PostgreSQL with trust authentication" pg_trusts
  fi
  if [ -z "$(psql -w -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$TEST_DB'")" ]; then
    say "creating database $TEST_DB"
    createdb -w -h 127.0.0.1 -p "$PG_PORT" -U postgres "$TEST_DB"
  fi
}

ensure_redis() {
  redis_answers && return 0
  command -v redis-server >/dev/null || install_packages redis-server
  say "starting Redis on 127.0.0.1:$REDIS_PORT"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
  wait_for Redis redis_answers
}

[ -n "${TEST_DATABASE_URL:-}" ] || ensure_postgres
[ -n "${TEST_REDIS_URL:-}" ] || ensure_redis
