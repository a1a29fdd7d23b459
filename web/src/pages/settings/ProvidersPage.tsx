import { EmptyState } from "../../components/States";

/** Being built (issue 7). */
export function ProvidersPage() {
  return <EmptyState title="ProvidersPage">Being built.</EmptyState>;
}
