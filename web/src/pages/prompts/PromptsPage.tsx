import { EmptyState } from "../../components/States";

/** Being built (issue 7). */
export function PromptsPage() {
  return <EmptyState title="PromptsPage">Being built.</EmptyState>;
}
