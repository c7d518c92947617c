/** A crisis broadcast's reach: counts per channel and fallback hop. Pure shaping. */

/** One cell as the reach query counts it: messages of one channel at one hop, by status. */
export interface ReachCellRow {
  channel: string;
  hop: number;
  attempted: number;
  delivered: number;
  read: number;
  failed: number;
  pending: number;
  notSent: number;
}

export interface ReachTotals {
  attempted: number;
  delivered: number;
  read: number;
  failed: number;
  pending: number;
  notSent: number;
}

const ZERO: ReachTotals = {
  attempted: 0,
  delivered: 0,
  read: 0,
  failed: 0,
  pending: 0,
  notSent: 0,
};

function add(into: ReachTotals, c: ReachTotals): void {
  into.attempted += c.attempted;
  into.delivered += c.delivered;
  into.read += c.read;
  into.failed += c.failed;
  into.pending += c.pending;
  into.notSent += c.notSent;
}

/** The cells (sorted by hop, then channel), with totals per channel and per hop. */
export function shapeReach(rows: ReachCellRow[]) {
  const cells = [...rows].sort((a, b) => a.hop - b.hop || a.channel.localeCompare(b.channel));
  const byChannel: Record<string, ReachTotals> = {};
  const byHop: Array<ReachTotals & { hop: number }> = [];
  for (const c of cells) {
    add((byChannel[c.channel] ??= { ...ZERO }), c);
    let h = byHop.find((x) => x.hop === c.hop);
    if (!h) byHop.push((h = { hop: c.hop, ...ZERO }));
    add(h, c);
  }
  return { cells, byChannel, byHop };
}
