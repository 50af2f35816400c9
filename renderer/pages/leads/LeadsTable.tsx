import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { LeadRow } from '../../../shared/index';
import { formatNumber } from '../../format';
import type { Column } from './columns';

export const rowHeight = 32;
/** Below this scroll speed (one 100-row block per 200 ms) rows are fetched while scrolling. */
const readableRowsPerSecond = 500;
const prefetchRows = 50;

interface Props {
  total: number;
  rowAt(i: number): LeadRow | undefined;
  ensureRange(start: number, end: number): void;
  columns: Column[];
  active: number;
  selected: ReadonlySet<string>;
  fresh: ReadonlySet<string>;
  openId: string | null;
  onActivate(i: number): void;
  onOpen(row: LeadRow): void;
  onToggle(row: LeadRow): void;
  onToggleAll(): void;
}

/**
 * A virtualised ARIA grid: only the rows in view (plus a few) exist in the DOM, whatever the
 * total. 1,000,000 rows × 32 px stays under Chromium's ~33.5M px element height limit.
 */
export function LeadsTable(p: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: p.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 5,
    // The sticky header sits inside the scroller, above the first row.
    scrollMargin: rowHeight,
    // Render inside the scroll event (Chromium fires one per frame) so the rows move in the same
    // frame as the scroll; rendered a task later, a fast scroll showed a frame of empty table.
    useFlushSync: true,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;
  const { ensureRange } = p;
  // Rows in flight past the window at a flick's speed would be gone before their block arrived:
  // fetch when the scroll is slow enough to read (a wheel, the keyboard) or has stopped (the
  // virtualiser clears isScrolling ~150 ms after the last scroll event).
  const settled = !virtualizer.isScrolling;
  const lastPosition = useRef({ first: 0, at: 0 });
  useEffect(() => {
    const now = performance.now();
    const prev = lastPosition.current;
    lastPosition.current = { first, at: now };
    const rowsPerSecond = (Math.abs(first - prev.first) * 1000) / Math.max(1, now - prev.at);
    // Half a block either side: at reading speed the next block is in before its rows scroll in.
    if (p.total > 0 && (settled || rowsPerSecond < readableRowsPerSecond))
      ensureRange(Math.max(0, first - prefetchRows), Math.min(p.total - 1, last + prefetchRows));
  }, [first, last, p.total, settled, ensureRange]);
  // A loaded row is keyed by its lead, so a new lead on top moves the others down without
  // rendering them again. A row still loading is keyed by slot (index modulo the most rows the
  // window has held; any run of that many indexes uses each slot once): during a fast scroll the
  // same ~35 placeholder rows move and are refilled each frame instead of being unmounted and
  // built again. (The pool only grows, so slots never remap while scrolling.)
  const pool = useRef(1);
  pool.current = Math.max(pool.current, items.length);
  // Follows the keyboard's active row when it moves, not when the list grows: a broad search
  // grows the table as the owner scrolls on (useLeadWindows), and that must not pull them back.
  const totalNow = useRef(p.total);
  totalNow.current = p.total;
  useEffect(() => {
    if (p.active >= 0 && p.active < totalNow.current) virtualizer.scrollToIndex(p.active, { align: 'auto' });
  }, [p.active, virtualizer]);

  const template = `2.5rem ${p.columns.map((c) => c.width).join(' ')}`;
  const keyed = new Set<string>();
  const activeRow = p.rowAt(p.active);
  return (
    <div
      className="grid"
      role="grid"
      aria-label={`Leads, ${formatNumber(p.total)} rows`}
      aria-rowcount={p.total + 1}
      aria-colcount={p.columns.length + 1}
      aria-multiselectable="true"
      tabIndex={0}
      aria-activedescendant={activeRow ? `lead-row-${activeRow.id}` : undefined}
      data-testid="leads-grid"
      ref={scrollRef}
    >
      <div className="grid-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
        <div role="columnheader" className="cell check">
          <input type="checkbox" aria-label="Select all loaded leads" onChange={p.onToggleAll} checked={p.selected.size > 0 && p.selected.size >= Math.min(p.total, 1)} />
        </div>
        {p.columns.map((c) => (
          <div role="columnheader" className="cell" key={c.key}>
            {c.label}
          </div>
        ))}
      </div>
      <div className="grid-body" role="rowgroup" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = p.rowAt(item.index);
          // While a refresh lands block by block, a lead can sit in a new block and in the old
          // copy of its neighbour for a moment (the list moved up by one): one key per lead.
          const byLead = row !== undefined && !keyed.has(row.id);
          if (byLead) keyed.add(row.id);
          return (
            <LeadGridRow
              key={byLead ? `lead:${row.id}` : `slot:${item.index % pool.current}`}
              index={item.index}
              top={item.start - rowHeight}
              row={row}
              template={template}
              columns={p.columns}
              active={item.index === p.active}
              selected={row ? p.selected.has(row.id) : false}
              fresh={row ? p.fresh.has(row.id) : false}
              open={row ? row.id === p.openId : false}
              onActivate={p.onActivate}
              onOpen={p.onOpen}
              onToggle={p.onToggle}
            />
          );
        })}
      </div>
    </div>
  );
}

interface RowProps {
  index: number;
  top: number;
  row: LeadRow | undefined;
  template: string;
  columns: Column[];
  active: boolean;
  selected: boolean;
  fresh: boolean;
  open: boolean;
  onActivate(i: number): void;
  onOpen(row: LeadRow): void;
  onToggle(row: LeadRow): void;
}

/**
 * One row's position and state; memoised so a scroll step renders only the rows that moved. The
 * cells are a separate memo: a row slot moving to another index with the same lead (or, during a
 * fast scroll, with no lead yet) renders none of its cells again.
 */
const LeadGridRow = memo(function LeadGridRow(r: RowProps) {
  const { row } = r;
  const classes = ['grid-row', r.active && 'active', r.fresh && 'fresh', r.open && 'open'].filter(Boolean).join(' ');
  return (
    <div
      id={row ? `lead-row-${row.id}` : undefined}
      role="row"
      aria-rowindex={r.index + 2}
      aria-selected={r.selected}
      aria-busy={row ? undefined : true}
      className={classes}
      data-lead-id={row?.id}
      style={{ transform: `translateY(${r.top}px)`, height: rowHeight, gridTemplateColumns: r.template }}
      onClick={() => {
        r.onActivate(r.index);
        if (row) r.onOpen(row);
      }}
    >
      <RowCells row={row} columns={r.columns} selected={r.selected} onToggle={r.onToggle} />
    </div>
  );
});

const RowCells = memo(function RowCells({ row, columns, selected, onToggle }: Pick<RowProps, 'row' | 'columns' | 'selected' | 'onToggle'>) {
  return (
    <>
      <div role="gridcell" className="cell check" onClick={(e) => e.stopPropagation()}>
        {row && (
          <input type="checkbox" tabIndex={-1} aria-label={`Select ${row.name ?? row.id}`} checked={selected} onChange={() => onToggle(row)} />
        )}
      </div>
      {columns.map((c) => (
        <div role="gridcell" className="cell" key={c.key}>
          {row ? c.render(row) : <span className="placeholder" aria-hidden="true" />}
        </div>
      ))}
    </>
  );
});
