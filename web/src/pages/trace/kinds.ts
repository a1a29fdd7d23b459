import {
  IconDatabaseSearch,
  IconLink,
  IconListCheck,
  IconPoint,
  IconRobot,
  IconScale,
  IconShieldCheck,
  IconSparkles,
  IconTool,
  IconVectorTriangle,
  type Icon,
} from "@tabler/icons-react";

/** How a span kind looks: a Mantine colour name and an icon. */
export interface KindStyle {
  color: string;
  icon: Icon;
  label: string;
}

const KINDS: Record<string, KindStyle> = {
  agent: { color: "indigo", icon: IconRobot, label: "agent" },
  llm: { color: "violet", icon: IconSparkles, label: "LLM call" },
  tool: { color: "orange", icon: IconTool, label: "tool" },
  retrieval: { color: "teal", icon: IconDatabaseSearch, label: "retrieval" },
  embedding: { color: "cyan", icon: IconVectorTriangle, label: "embedding" },
  task: { color: "blue", icon: IconListCheck, label: "task" },
  chain: { color: "blue", icon: IconLink, label: "chain" },
  guardrail: { color: "lime", icon: IconShieldCheck, label: "guardrail" },
  eval: { color: "grape", icon: IconScale, label: "eval" },
};

const OTHER: KindStyle = { color: "gray", icon: IconPoint, label: "span" };

export function kindStyle(kind: string): KindStyle {
  return KINDS[kind] ?? { ...OTHER, label: kind || OTHER.label };
}
