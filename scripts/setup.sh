#!/usr/bin/env bash
# Brings up what Switchboard needs on a development or CI machine: local Redis and Postgres (started
# if they are installed but down) and, with --test, Debian's prometheus for the metrics scrape and KEDA query tests,
# Debian's chromium for the console's browser test, Debian's clickhouse-server for the warehouse export tests, and a kubectl whose Kustomize renders k8s/overlays.
set -uo pipefail

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
postgres_up() { pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }

if ! redis_up && command -v redis-server >/dev/null; then
  echo "setup: starting Redis on 127.0.0.1:6379"
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
fi
if ! postgres_up && command -v pg_ctlcluster >/dev/null; then
  echo "setup: starting PostgreSQL on 127.0.0.1:5432"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >/dev/null 2>&1
fi
for _ in $(seq 1 30); do redis_up && postgres_up && break; sleep 1; done
redis_up || echo "setup: Redis is not reachable on 127.0.0.1:6379 (set REDIS_URL)" >&2
postgres_up || echo "setup: PostgreSQL is not reachable on 127.0.0.1:5432 (set DATABASE_URL)" >&2

if [[ "${1:-}" == "--test" ]] && ! command -v prometheus >/dev/null; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's prometheus for the metrics scrape test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus) \
      >/tmp/switchboard-setup-apt.log 2>&1 || echo "setup: could not install prometheus (see /tmp/switchboard-setup-apt.log)" >&2
  else
    echo "setup: prometheus is not installed; the scrape test will be skipped" >&2
  fi
fi
if [[ "${1:-}" == "--test" ]] && [[ ! -x /usr/bin/chromium ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium for the console's browser test"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium) \
      >/tmp/switchboard-setup-chromium.log 2>&1 || echo "setup: could not install chromium (see /tmp/switchboard-setup-chromium.log); the browser test will fail" >&2
  else
    echo "setup: chromium is not installed and this user cannot install it; the console's browser test will fail (apt-get install chromium)" >&2
  fi
fi
if [[ "${1:-}" == "--test" ]] && [[ ! -x /usr/sbin/clickhouse-server ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's clickhouse-server for the warehouse export tests"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clickhouse-server) \
      >>/tmp/switchboard-setup-apt.log 2>&1 || echo "setup: could not install clickhouse-server (see /tmp/switchboard-setup-apt.log); the ClickHouse export tests will be skipped" >&2
  else
    echo "setup: clickhouse-server is not installed; the ClickHouse export tests will be skipped (apt-get install clickhouse-server)" >&2
  fi
fi
# kubectl with Kustomize v5 (kubectl 1.27+): the node machine image ships one (the `kubectl` Debian package of
# Google's repository); where apt offers that package it is installed. Debian's own kubernetes-client (1.20) has
# Kustomize v2, too old for the overlays, so it is not used: the manifest tests skip without a suitable kubectl.
kustomize_ok() { kubectl version --client -o json 2>/dev/null | grep -q '"kustomizeVersion": *"v[5-9]'; }
if [[ "${1:-}" == "--test" ]] && ! kustomize_ok; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null && apt-cache show kubectl >/dev/null 2>&1; then
    echo "setup: installing kubectl for the manifest tests"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends kubectl >>/tmp/switchboard-setup-apt.log 2>&1 \
      || echo "setup: could not install kubectl (see /tmp/switchboard-setup-apt.log)" >&2
  fi
  kustomize_ok || echo "setup: no kubectl with Kustomize v5; the manifest tests will be skipped" >&2
fi
exit 0
