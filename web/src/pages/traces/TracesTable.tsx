import { Button, Loader, Text } from "@mantine/core";
import { IconArrowBarToUp } from "@tabler/icons-react";
import { flexRender, getCoreRowModel, useReactTable } from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useMemo, useRef, type RefObject } from "react";
import { useNavigate } from "react-router-dom";

import { LAYOUT, traceColumns, type ColumnLayout } from "./columns";
import type { Sort } from "./filters";
import { SortHeader } from "./SortHeader";
import classes from "./TracesTable.module.css";
import type { TraceSummary } from "./useTraceList";

export const ROW_HEIGHT = 40;
/** Load the next page when the last rendered row is this close to the end. */
const PREFETCH_ROWS = 30;

interface Props {
  project: string;
  rows: TraceSummary[];
  highlighted: ReadonlySet<string>;
  sort: Sort;
  onSort: (sort: Sort) => void;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
}

/** The trace list: only the rows in view are rendered; scrolling near the end loads more. */
export function TracesTable(props: Props) {
  const { project, rows, highlighted, hasMore, loadingMore, loadMore } = props;
  const navigate = useNavigate();
  const scrollRef = useRef<HTMLDivElement>(null);
  const columns = useMemo(() => traceColumns(project), [project]);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Table is not memoizable
  const table = useReactTable({
    data: rows,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.trace_id,
  });
  const template = table
    .getVisibleLeafColumns()
    .map((c) => LAYOUT[c.id]?.width ?? "1fr")
    .join(" ");
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.length ? items[items.length - 1].index : -1;

  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - PREFETCH_ROWS) loadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, loadMore]);

  useKeepScrollOnPrepend(scrollRef, rows);
  const firstVisible = items.find((v) => v.start >= (virtualizer.scrollOffset ?? 0))?.index ?? 0;
  const newAbove = rows.slice(0, firstVisible).filter((r) => highlighted.has(r.trace_id)).length;
  const tableRows = table.getRowModel().rows;

  return (
    <div
      ref={scrollRef}
      className={classes.scroll}
      role="table"
      aria-label="Traces"
      aria-rowcount={hasMore ? -1 : rows.length + 1}
    >
      <div className={classes.inner}>
        <div role="rowgroup" className={classes.header}>
          <div role="row" className={classes.row} style={{ gridTemplateColumns: template }}>
            {table.getFlatHeaders().map((header) => (
              <SortHeader
                key={header.id}
                layout={LAYOUT[header.id]}
                sort={props.sort}
                onSort={props.onSort}
              >
                {flexRender(header.column.columnDef.header, header.getContext())}
              </SortHeader>
            ))}
          </div>
        </div>
        <div
          role="rowgroup"
          className={classes.body}
          style={{ height: virtualizer.getTotalSize() }}
        >
          {items.map((item) => {
            const row = tableRows[item.index];
            const trace = row.original;
            const fresh = highlighted.has(trace.trace_id);
            return (
              <div
                key={row.id}
                role="row"
                data-testid="trace-row"
                data-fresh={fresh || undefined}
                className={`${classes.row} ${classes.dataRow} ${fresh ? classes.fresh : ""}`}
                style={{
                  gridTemplateColumns: template,
                  height: ROW_HEIGHT,
                  transform: `translateY(${item.start}px)`,
                }}
                onClick={() =>
                  navigate(`/projects/${encodeURIComponent(project)}/traces/${trace.trace_id}`)
                }
              >
                {row.getVisibleCells().map((cell) => (
                  <div
                    key={cell.id}
                    role="cell"
                    className={cellClass(LAYOUT[cell.column.id])}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
        <TableFooter count={rows.length} hasMore={hasMore} loadingMore={loadingMore} />
      </div>
      {newAbove > 0 && (
        <Button
          size="compact-sm"
          radius="xl"
          leftSection={<IconArrowBarToUp size={14} />}
          style={{ position: "sticky", bottom: 12, left: "50%", transform: "translateX(-50%)" }}
          onClick={() => scrollRef.current?.scrollTo({ top: 0, behavior: "smooth" })}
        >
          {newAbove} new {newAbove === 1 ? "trace" : "traces"}
        </Button>
      )}
    </div>
  );
}

function cellClass(layout: ColumnLayout | undefined): string {
  return layout?.align ? `${classes.cell} ${classes.right}` : classes.cell;
}

function TableFooter(props: { count: number; hasMore: boolean; loadingMore: boolean }) {
  if (props.loadingMore) {
    return (
      <div
        className={classes.footer}
        aria-busy="true"
        data-testid="traces-footer"
        data-rows={props.count}
      >
        <Loader size="xs" mr="xs" />
        <Text span size="sm" c="dimmed">
          Loading more traces…
        </Text>
      </div>
    );
  }
  return (
    <div className={classes.footer} data-testid="traces-footer" data-rows={props.count}>
      <Text span size="xs" c="dimmed">
        {props.hasMore
          ? `${props.count.toLocaleString("en-US")} traces loaded · scroll for more`
          : `All ${props.count.toLocaleString("en-US")} matching traces shown`}
      </Text>
    </div>
  );
}

/**
 * When rows are added above (live mode) while the user has scrolled down, shift the scroll
 * position by their height so the rows in view stay where they were.
 */
function useKeepScrollOnPrepend(
  scrollRef: RefObject<HTMLDivElement | null>,
  rows: TraceSummary[],
) {
  const firstId = rows[0]?.trace_id;
  const previous = useRef(firstId);
  useLayoutEffect(() => {
    const before = previous.current;
    previous.current = firstId;
    const el = scrollRef.current;
    if (!el || !before || before === firstId || el.scrollTop === 0) return;
    const added = rows.findIndex((r) => r.trace_id === before);
    if (added > 0) el.scrollTop += added * ROW_HEIGHT;
  }, [firstId, rows, scrollRef]);
}
