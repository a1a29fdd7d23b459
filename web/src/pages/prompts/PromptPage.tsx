import { EmptyState } from "../../components/States";

/** Being built (issue 7). */
export function PromptPage() {
  return <EmptyState title="PromptPage">Being built.</EmptyState>;
}
