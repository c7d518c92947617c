#!/bin/bash
# postgres-replica: on its first start, a copy of the primary (pg_basebackup -R writes
# standby.signal and primary_conninfo); every start then streams from the primary as a hot
# standby. PGPASSWORD is the replicator's password.
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  for _ in $(seq 1 60); do
    pg_isready --host="$PRIMARY_HOST" --port=5432 --quiet && break
    sleep 1
  done
  echo "replica: copying ${PRIMARY_HOST} into ${PGDATA}"
  pg_basebackup --host="$PRIMARY_HOST" --port=5432 --username=replicator \
    --pgdata="$PGDATA" --wal-method=stream --write-recovery-conf --checkpoint=fast
  chmod 0700 "$PGDATA"
fi

exec docker-entrypoint.sh "$@"
