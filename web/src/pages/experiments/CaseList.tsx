import { Text } from "@mantine/core";
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useLayoutEffect, useMemo, useRef, useState, type RefObject } from "react";
import { useNavigate } from "react-router-dom";

import classes from "./compare.module.css";
import { selectCases, type CaseFilter, type CaseRow, type CaseSort } from "./compareModel";
import { CaseRowView } from "./CaseRowView";

interface Props {
  project: string;
  rows: CaseRow[];
  baseline: string;
  compared: string[];
  filter: CaseFilter;
  query: string;
  sort: CaseSort;
}

const ESTIMATED_ROW = 120;

/** The cases, one row each; only the rows in view are in the page (thousands stay fast). */
export function CaseList({ project, rows, baseline, compared, filter, query, sort }: Props) {
  const navigate = useNavigate();
  const shown = useMemo(
    () => selectCases(rows, { filter, query, sort }),
    [rows, filter, query, sort],
  );
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const onToggle = useCallback((caseId: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(caseId)) next.add(caseId);
      return next;
    });
  }, []);
  const onOpen = useCallback(
    (traceId: string) => navigate(`/projects/${encodeURIComponent(project)}/traces/${traceId}`),
    [navigate, project],
  );
  const listRef = useRef<HTMLDivElement>(null);
  const top = useDocumentTop(listRef);
  const virtualizer = useWindowVirtualizer({
    count: shown.length,
    estimateSize: () => ESTIMATED_ROW,
    overscan: 6,
    scrollMargin: top,
    getItemKey: (index) => shown[index].caseId,
  });
  const runs = 1 + compared.length;
  const template = `minmax(0, 1.1fr) minmax(0, 0.7fr) repeat(${runs}, minmax(0, 1fr))`;
  return (
    <div
      className={classes.list}
      ref={listRef}
      role="table"
      aria-label="Cases"
      aria-rowcount={shown.length + 1}
    >
      <div>
        <div className={classes.header} role="rowgroup">
          <div className={classes.grid} style={{ gridTemplateColumns: template }} role="row">
            <div className={classes.headerCell} role="columnheader">Input</div>
            <div className={classes.headerCell} role="columnheader">Expected</div>
            <div className={classes.headerCell} role="columnheader" title={baseline}>
              Baseline · {baseline}
            </div>
            {compared.map((name) => (
              <div key={name} className={classes.headerCell} role="columnheader" title={name}>
                {name}
              </div>
            ))}
          </div>
        </div>
        <div
          className={classes.body}
          role="rowgroup"
          style={{ height: virtualizer.getTotalSize() }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const row = shown[item.index];
            return (
              <div
                key={item.key}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className={classes.row}
                role="row"
                data-testid="case-row"
                style={{ transform: `translateY(${item.start - top}px)` }}
              >
                <CaseRowView
                  project={project}
                  row={row}
                  template={template}
                  expanded={expanded.has(row.caseId)}
                  onToggle={onToggle}
                  onOpen={onOpen}
                />
              </div>
            );
          })}
        </div>
        {shown.length === 0 && (
          <div className={classes.footer}>
            <Text c="dimmed">
              {rows.length === 0
                ? "The experiments have no cases yet."
                : "No case matches; try another filter or search."}
            </Text>
          </div>
        )}
      </div>
    </div>
  );
}

/** The distance from the top of the document to the element, kept current as the page changes. */
function useDocumentTop(ref: RefObject<HTMLElement | null>): number {
  const [top, setTop] = useState(0);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setTop(el.getBoundingClientRect().top + window.scrollY);
    measure();
    const observer = new ResizeObserver(measure);
    if (el.parentElement) observer.observe(el.parentElement);
    return () => observer.disconnect();
  }, [ref]);
  return top;
}
