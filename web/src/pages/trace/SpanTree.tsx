import { Box } from "@mantine/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, type KeyboardEvent } from "react";

import { formatMs } from "./time";
import { OrphanHeading, ROW_HEIGHT, rowId, SpanRow, type Timeline } from "./SpanRow";
import classes from "./trace.module.css";
import type { Row } from "./traceModel";

const TREE_WIDTH = "58%";
const TICKS = [0, 1 / 3, 2 / 3, 1];

interface Props {
  rows: Row[];
  timeline: Timeline;
  selectedId: string | null;
  /** Index in `rows` of the selected span, -1 when none is visible. */
  selectedRow: number;
  collapsed: ReadonlySet<string>;
  onSelect: (spanId: string) => void;
  onToggle: (spanId: string) => void;
  onKey: (event: KeyboardEvent<HTMLDivElement>) => void;
}

/**
 * The span tree and the waterfall side by side, one row per span, virtualized so that only
 * the rows on screen are in the page (a 100,000-span trace has as many DOM nodes as a small one).
 */
export function SpanTree(props: Props) {
  const { rows, timeline, selectedId, selectedRow, collapsed, onSelect, onToggle, onKey } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer hands back functions that the React Compiler must not memoize.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // The tree is the page's main control: arrow keys work as soon as the trace is shown.
  useEffect(() => scrollRef.current?.focus({ preventScroll: true }), []);

  // A span opened from a link is shown in the middle; later moves scroll only as needed.
  const scrolled = useRef(false);
  useEffect(() => {
    if (selectedRow < 0) return;
    virtualizer.scrollToIndex(selectedRow, { align: scrolled.current ? "auto" : "center" });
    scrolled.current = true;
  }, [selectedRow, virtualizer]);

  const select = useCallback(
    (spanId: string) => {
      onSelect(spanId);
      scrollRef.current?.focus({ preventScroll: true });
    },
    [onSelect],
  );

  return (
    <Box h="100%" style={{ display: "flex", flexDirection: "column", minHeight: 0 }}>
      <div className={classes.axis}>
        <div style={{ width: TREE_WIDTH, paddingLeft: 8 }}>Span</div>
        <div className={classes.ticks} style={{ flex: 1 }} aria-hidden>
          {TICKS.map((f) => (
            <span key={f} className={classes.tick} style={{ left: `${f * 100}%` }}>
              {formatMs(f * (timeline.endMs - timeline.startMs))}
            </span>
          ))}
        </div>
      </div>
      <div
        ref={scrollRef}
        className={classes.tree}
        role="tree"
        aria-label="Spans of the trace (arrow keys move and fold)"
        tabIndex={0}
        aria-activedescendant={selectedRow >= 0 && selectedId ? rowId(selectedId) : undefined}
        onKeyDown={onKey}
        data-testid="trace-tree"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = rows[v.index];
            if (row.type === "orphans") return <OrphanHeading key="orphans" count={row.count} top={v.start} />;
            const id = row.item.span.span_id;
            return (
              <SpanRow
                key={id}
                item={row.item}
                top={v.start}
                treeWidth={TREE_WIDTH}
                timeline={timeline}
                selected={id === selectedId}
                collapsed={collapsed.has(id)}
                onSelect={select}
                onToggle={onToggle}
              />
            );
          })}
        </div>
      </div>
    </Box>
  );
}
