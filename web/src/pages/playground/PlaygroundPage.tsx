import { EmptyState } from "../../components/States";

/** Being built (issue 7). */
export function PlaygroundPage() {
  return <EmptyState title="PlaygroundPage">Being built.</EmptyState>;
}
