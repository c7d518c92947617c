/**
 * PGlite is one PostgreSQL session; pglite-socket (0.2.x) serves several connections from it
 * by queueing their wire messages one at a time, keeping a transaction's messages together but
 * not an extended-protocol query's (Parse, Bind, Describe, Execute ... Sync). Two connections
 * querying at once then interleave: one's Bind meets the other's Parse ("bind message supplies
 * 13 parameters, but prepared statement requires 2"), or a reply reaches the wrong client.
 * This keeps each connection's sequence together up to its Sync, as a transaction already is.
 */
import type { PGlite } from '@electric-sql/pglite';

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

/** The fields of pglite-socket's QueryQueueManager this relies on (checked at start). */
interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: PGlite;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/** Parse, Bind, Describe, Execute, Close, Flush: a sequence Sync (or a simple Query) ends. */
const EXTENDED = new Set([0x50, 0x42, 0x44, 0x45, 0x43, 0x48]);

export function keepQuerySequencesTogether(server: unknown): void {
  const q = (server as { queryQueue?: QueryQueue }).queryQueue;
  if (
    q === undefined ||
    !Array.isArray(q.queue) ||
    typeof q.processQueue !== 'function' ||
    typeof q.clearQueueForHandler !== 'function'
  )
    throw new Error('pglite-socket changed: its query queue is not where this hub expects it');
  let midSequence = false;

  q.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const owner = midSequence || this.db.isInTransaction() ? this.lastHandlerId : null;
        let item: QueuedMessage | undefined;
        if (owner === null) item = this.queue.shift();
        else {
          const index = this.queue.findIndex((m) => m.handlerId === owner);
          if (index === -1) break; // the owner's next message is on its way
          item = this.queue.splice(index, 1)[0];
        }
        if (item === undefined) break;
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          midSequence = false;
          current.reject(error);
          continue;
        }
        this.lastHandlerId = current.handlerId;
        midSequence = EXTENDED.has(current.message[0]);
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  // A connection that goes away mid-sequence must not hold the others back.
  const clear = q.clearQueueForHandler.bind(q);
  q.clearQueueForHandler = (handlerId: number) => {
    clear(handlerId);
    if (q.lastHandlerId === handlerId && midSequence) {
      midSequence = false;
      void q.processQueue();
    }
  };
}
