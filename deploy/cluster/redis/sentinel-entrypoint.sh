#!/bin/sh
# A Sentinel of the hub's Redis (compose.yml: sentinel-1..3). Its configuration is written on
# the first start only: Sentinel rewrites it as it learns (a failover's new master, the other
# Sentinels, the replicas), and a restart must keep what it learnt.
set -eu

conf=/data/sentinel.conf
if [ ! -f "$conf" ]; then
  cat > "$conf" <<CONF
port 26379
sentinel resolve-hostnames yes
sentinel announce-hostnames yes
sentinel announce-ip ${SENTINEL_HOST}
sentinel monitor ${REDIS_MASTER_NAME} redis-1 6379 2
sentinel auth-pass ${REDIS_MASTER_NAME} ${REDIS_PASSWORD}
sentinel down-after-milliseconds ${REDIS_MASTER_NAME} 5000
sentinel failover-timeout ${REDIS_MASTER_NAME} 30000
sentinel parallel-syncs ${REDIS_MASTER_NAME} 1
CONF
fi

exec redis-server "$conf" --sentinel
