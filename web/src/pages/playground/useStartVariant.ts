import { useQuery } from "@tanstack/react-query";

import { playgroundApi } from "./playgroundApi";
import { startKey, type PlaygroundStart } from "./playgroundUrl";
import { blankVariant, variantFromAgent, variantFromSpan, variantFromVersion, type Variant } from "./variantModel";

async function load(project: string, start: PlaygroundStart): Promise<Variant | null> {
  switch (start.kind) {
    case "prompt": {
      const query = start.version !== null ? { version: start.version } : start.label ? { label: start.label } : {};
      const version = await playgroundApi.resolve(project, start.name, query);
      return variantFromVersion(version, "A", start.version === null ? start.label : null);
    }
    case "span":
      return variantFromSpan(await playgroundApi.span(project, start.trace, start.span));
    case "agent":
      return variantFromAgent(await playgroundApi.agent(project, start.name));
    case "new":
      return blankVariant();
    case "none":
      return null;
  }
}

/** The first variant the address asks for (a saved version, a span, an agent or a blank one). */
export function useStartVariant(project: string, start: PlaygroundStart) {
  return useQuery({
    queryKey: ["playground-start", project, startKey(start)],
    queryFn: () => load(project, start),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    refetchOnWindowFocus: false,
  });
}
