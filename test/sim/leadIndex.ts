import type { SimLead } from './model';

/**
 * One form's leads, sorted by (created_time, id) ascending, so a time window is two binary
 * searches and a page is a slice walked backwards (Meta lists newest first). Cursors encode the
 * (time, id) key rather than a position, so leads arriving mid-sync never shift later pages.
 */
export class LeadIndex {
  private readonly rows: SimLead[] = [];
  private sorted = true;

  get size(): number {
    return this.rows.length;
  }

  add(lead: SimLead): void {
    const last = this.rows[this.rows.length - 1];
    if (!this.sorted || !last || compare(last, lead.createdTime, lead.id) <= 0) {
      this.rows.push(lead);
    } else {
      this.rows.splice(this.lowerBound(lead.createdTime, lead.id), 0, lead);
    }
  }

  /** Bulk load without keeping order; call finish() before reading. */
  addUnsorted(lead: SimLead): void {
    this.rows.push(lead);
    this.sorted = false;
  }

  finish(): void {
    if (this.sorted) return;
    this.rows.sort((a, b) => compare(a, b.createdTime, b.id));
    this.sorted = true;
  }

  remove(id: string): void {
    const i = this.rows.findIndex((l) => l.id === id);
    if (i >= 0) this.rows.splice(i, 1);
  }

  /** Index range [lo, hi) of leads with gt < created_time < lt (either bound optional). */
  window(gt: number | null, lt: number | null): [number, number] {
    this.finish();
    const lo = gt === null ? 0 : this.lowerBound(gt + 1, '');
    const hi = lt === null ? this.rows.length : this.lowerBound(lt, '');
    return [lo, Math.max(lo, hi)];
  }

  /**
   * Up to `limit` leads newest-first within [lo, hi), starting below the `after` key if given.
   * Returns the rows and whether older rows remain in the window.
   */
  page(
    lo: number,
    hi: number,
    after: { t: number; id: string } | null,
    limit: number,
  ): { rows: SimLead[]; more: boolean } {
    this.finish();
    let start = hi - 1;
    if (after) start = Math.min(start, this.lowerBound(after.t, after.id) - 1);
    const rows: SimLead[] = [];
    let i = start;
    for (; i >= lo && rows.length < limit; i--) rows.push(this.rows[i]!);
    return { rows, more: i >= lo };
  }

  countSince(t: number): number {
    const [lo, hi] = this.window(t, null);
    return hi - lo;
  }

  all(): readonly SimLead[] {
    this.finish();
    return this.rows;
  }

  /** First index whose key is >= (t, id). */
  private lowerBound(t: number, id: string): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compare(this.rows[mid]!, t, id) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function compare(a: SimLead, t: number, id: string): number {
  if (a.createdTime !== t) return a.createdTime - t;
  // Ids are fixed-width digit strings, so string order is numeric order.
  return a.id < id ? -1 : a.id > id ? 1 : 0;
}

export function encodeCursor(lead: SimLead): string {
  return Buffer.from(`${lead.createdTime}:${lead.id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { t: number; id: string } | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^(\d+):(\d+)$/.exec(text);
  return m ? { t: Number(m[1]), id: m[2]! } : null;
}
