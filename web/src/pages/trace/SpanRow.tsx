import { IconAlertTriangle, IconChevronDown, IconChevronRight } from "@tabler/icons-react";
import { memo, type CSSProperties } from "react";

import { barPosition, formatMs } from "./time";
import { kindStyle } from "./kinds";
import classes from "./trace.module.css";
import type { IndexedSpan } from "./traceModel";

export const ROW_HEIGHT = 28;
const INDENT = 14;
const MAX_INDENT_LEVELS = 30;

/** The id of a span's row, for aria-activedescendant. */
export const rowId = (spanId: string) => `span-row-${spanId}`;

export interface Timeline {
  startMs: number;
  endMs: number;
}

interface Props {
  item: IndexedSpan;
  top: number;
  treeWidth: string;
  timeline: Timeline;
  selected: boolean;
  collapsed: boolean;
  onSelect: (spanId: string) => void;
  onToggle: (spanId: string) => void;
}

/** One line of the tree: the span in its place (left) and its bar on the time line (right). */
export const SpanRow = memo(function SpanRow(props: Props) {
  const { item, top, treeWidth, timeline, selected, collapsed, onSelect, onToggle } = props;
  const { span } = item;
  const style = kindStyle(span.kind);
  const KindIcon = style.icon;
  const failed = span.status === "error";
  const hasChildren = item.childCount > 0;
  const indent = Math.min(item.depth, MAX_INDENT_LEVELS) * INDENT;
  const title = [span.name, style.label, span.model, formatMs(span.duration_ms)]
    .filter(Boolean)
    .join(" · ");
  return (
    <div
      id={rowId(span.span_id)}
      role="treeitem"
      aria-label={failed ? `${span.name}, failed` : span.name}
      aria-level={item.depth + 1}
      aria-selected={selected}
      aria-expanded={hasChildren ? !collapsed : undefined}
      data-span-id={span.span_id}
      data-kind={span.kind}
      className={`${classes.row} ${selected ? classes.selected : ""}`}
      style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }}
      onClick={() => onSelect(span.span_id)}
      title={title}
    >
      <div className={classes.treeCell} style={{ width: treeWidth, paddingLeft: 6 + indent }}>
        {hasChildren ? (
          <span
            className={classes.chevron}
            onClick={(e) => {
              e.stopPropagation();
              onToggle(span.span_id);
            }}
          >
            {collapsed ? <IconChevronRight size={14} /> : <IconChevronDown size={14} />}
          </span>
        ) : (
          <span className={classes.chevron} />
        )}
        <KindIcon size={15} color={`var(--mantine-color-${style.color}-6)`} style={{ flex: "none" }} />
        <span className={classes.name} style={{ fontWeight: item.depth === 0 ? 600 : undefined }}>
          {span.name}
        </span>
        {failed && (
          <IconAlertTriangle size={14} color="var(--mantine-color-red-6)" aria-hidden style={{ flex: "none" }} />
        )}
        {span.model && <span className={`${classes.meta} ${classes.name}`}>{span.model}</span>}
        <span className={classes.meta} style={{ marginLeft: "auto", paddingLeft: 6 }}>
          {span.open ? "running" : formatMs(span.duration_ms)}
        </span>
      </div>
      <div className={classes.barCell} style={{ flex: 1 }}>
        <Bar item={item} timeline={timeline} color={failed ? "red" : style.color} />
      </div>
    </div>
  );
});

function Bar({ item, timeline, color }: { item: IndexedSpan; timeline: Timeline; color: string }) {
  const { left, width } = barPosition(item.startMs, item.endMs, timeline);
  const style: CSSProperties = {
    left: `${left}%`,
    width: `${width}%`,
    backgroundColor: `var(--mantine-color-${color}-${color === "red" ? 6 : 4})`,
  };
  return <div className={`${classes.bar} ${item.endMs === null ? classes.open : ""}`} style={style} />;
}

/** The heading above the spans whose parent never arrived. */
export function OrphanHeading({ count, top }: { count: number; top: number }) {
  return (
    <div className={classes.section} style={{ height: ROW_HEIGHT, transform: `translateY(${top}px)` }} role="none">
      Spans whose parent is missing ({count}) — the parent span has not arrived yet or was never sent
    </div>
  );
}
