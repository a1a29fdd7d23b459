import { IconArrowDown, IconArrowUp, IconSelector } from "@tabler/icons-react";
import type { ReactNode } from "react";

import type { ColumnLayout } from "./columns";
import type { Sort } from "./filters";
import classes from "./TracesTable.module.css";

interface Props {
  layout: ColumnLayout | undefined;
  sort: Sort;
  onSort: (sort: Sort) => void;
  children: ReactNode;
}

/** A column header; on a sortable column a click sorts by it (descending first, then toggles). */
export function SortHeader({ layout, sort, onSort, children }: Props) {
  const className = `${classes.headerCell} ${layout?.align ? classes.right : ""}`;
  const key = layout?.sortKey;
  if (!key) {
    return (
      <div role="columnheader" className={className}>
        {children}
      </div>
    );
  }
  const active = sort.replace(/^-/, "") === key;
  const descending = sort.startsWith("-");
  const next: Sort = active && descending ? key : `-${key}`;
  const Icon = !active ? IconSelector : descending ? IconArrowDown : IconArrowUp;
  return (
    <div
      role="columnheader"
      className={className}
      aria-sort={active ? (descending ? "descending" : "ascending") : "none"}
    >
      <button type="button" className={classes.sortButton} onClick={() => onSort(next)}>
        {children}
        <Icon size={13} stroke={active ? 2.2 : 1.5} />
      </button>
    </div>
  );
}
