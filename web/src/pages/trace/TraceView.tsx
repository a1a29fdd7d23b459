import { Affix, Anchor, Notification, Paper, ScrollArea, Splitter, Text } from "@mantine/core";
import { useCallback, useMemo, useState, type KeyboardEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";

import type { Schemas } from "../../api/client";
import { AddToDatasetModal, type Added } from "./AddToDatasetModal";
import { SpanDetail } from "./SpanDetail";
import { SpanTree } from "./SpanTree";
import { TraceHeader } from "./TraceHeader";
import { buildIndex, isBelow, revealing, visibleRows, type Trace } from "./traceModel";
import { keyAction, rowOf } from "./treeKeys";

interface Props {
  project: string;
  traceId: string;
  trace: Trace;
  scores: Schemas["Score"][];
}

/** The loaded trace: header, tree + waterfall, detail; the selected span lives in `?span=`. */
export function TraceView({ project, traceId, trace, scores }: Props) {
  const index = useMemo(() => buildIndex(trace), [trace]);
  const [params, setParams] = useSearchParams();
  const wanted = params.get("span");
  const rootId = index.order[0]?.span.span_id ?? null;
  const selectedId = wanted !== null && index.byId.has(wanted) ? wanted : rootId;
  const [folded, setFolded] = useState<ReadonlySet<string>>(() => new Set());
  const collapsed = useMemo(() => revealing(index, folded, selectedId), [index, folded, selectedId]);
  const rows = useMemo(() => visibleRows(index, collapsed), [index, collapsed]);
  const selectedRow = useMemo(() => rowOf(rows, selectedId), [rows, selectedId]);
  // The span the "add to dataset" form is about; kept while the form closes.
  const [addFor, setAddFor] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const openAdd = (spanId: string | null) => {
    if (spanId === null) return;
    setAddFor(spanId);
    setAdding(true);
  };
  const [added, setAdded] = useState<Added | null>(null);

  const select = useCallback(
    (spanId: string) =>
      setParams(
        (p) => {
          const next = new URLSearchParams(p);
          next.set("span", spanId);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );

  const toggle = useCallback(
    (spanId: string) => {
      const next = new Set(collapsed);
      if (next.has(spanId)) {
        next.delete(spanId);
      } else {
        next.add(spanId);
        if (selectedId !== null && isBelow(index, selectedId, spanId)) select(spanId);
      }
      setFolded(next);
    },
    [collapsed, index, selectedId, select],
  );

  const onKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const action = keyAction(event.key, rows, index, collapsed, selectedId);
    if (action === null) return;
    event.preventDefault();
    if (action.select) select(action.select);
    if (action.collapse || action.expand) toggle((action.collapse ?? action.expand)!);
  };

  const selected = selectedId === null ? undefined : index.byId.get(selectedId);
  const spanScores = scores.filter(
    (s) => s.span_id === selectedId || (selectedId === rootId && (s.span_id ?? null) === null),
  );
  const timeline = { startMs: index.summary.startMs, endMs: index.summary.endMs };

  return (
    <>
      <TraceHeader
        project={project}
        traceId={traceId}
        summary={index.summary}
        traceScores={scores.filter((s) => (s.span_id ?? null) === null)}
        onAddToDataset={() => openAdd(rootId)}
      />
      <Paper withBorder radius="md" style={{ flex: 1, minHeight: 0, overflow: "hidden" }}>
        <Splitter h="100%">
          <Splitter.Pane defaultSize={55} min="25%">
            <SpanTree
              rows={rows}
              timeline={timeline}
              selectedId={selectedId}
              selectedRow={selectedRow}
              collapsed={collapsed}
              onSelect={select}
              onToggle={toggle}
              onKey={onKey}
            />
          </Splitter.Pane>
          <Splitter.Pane defaultSize={45} min="25%">
            <ScrollArea h="100%" type="auto">
              <div style={{ padding: "var(--mantine-spacing-md)" }}>
                {selected ? (
                  <SpanDetail
                    key={selected.span.span_id}
                    project={project}
                    traceId={traceId}
                    item={selected}
                    traceStartMs={index.summary.startMs}
                    scores={spanScores}
                    onAddToDataset={() => openAdd(selected.span.span_id)}
                  />
                ) : (
                  <Text c="dimmed">This trace has no spans.</Text>
                )}
              </div>
            </ScrollArea>
          </Splitter.Pane>
        </Splitter>
      </Paper>
      <AddToDatasetModal
        project={project}
        traceId={traceId}
        spanId={addFor}
        opened={adding}
        onClose={() => setAdding(false)}
        onAdded={(a) => {
          setAdding(false);
          setAdded(a);
        }}
      />
      {added && <AddedToast project={project} added={added} onClose={() => setAdded(null)} />}
    </>
  );
}

function AddedToast({ project, added, onClose }: { project: string; added: Added; onClose: () => void }) {
  const to = `/projects/${encodeURIComponent(project)}/datasets/${encodeURIComponent(added.dataset)}`;
  return (
    <Affix position={{ bottom: 20, right: 20 }}>
      <Notification color="teal" title="Added to the dataset" onClose={onClose} role="status" w={360} withBorder>
        The record is in{" "}
        <Anchor component={Link} to={to} fw={600}>
          {added.dataset}
        </Anchor>{" "}
        (version {added.version}).
      </Notification>
    </Affix>
  );
}
