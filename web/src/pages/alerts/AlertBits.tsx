import { Anchor, Badge, Switch, Text } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router-dom";

import { useCan } from "../auth/useAuth";
import { alertKeys, alertsApi, type Alert, type AlertEvent } from "./alertsApi";
import { appPath } from "./alertText";

const STATE_COLORS: Record<Alert["state"], string> = { ok: "teal", firing: "red", no_data: "gray" };

/** ok (teal), firing (red), no data (grey). */
export function AlertStateBadge({ state }: { state: Alert["state"] }) {
  return (
    <Badge color={STATE_COLORS[state]} variant={state === "firing" ? "filled" : "light"} data-testid="alert-state">
      {state === "no_data" ? "no data" : state}
    </Badge>
  );
}

/** Turn an alert on or off at once (PATCH); read-only (disabled) below the engineer role. */
export function AlertSwitch({ project, alert }: { project: string; alert: Alert }) {
  const canWrite = useCan(project, "engineer");
  const client = useQueryClient();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => alertsApi.update(project, alert.name, { enabled }),
    onSuccess: () => client.invalidateQueries({ queryKey: alertKeys.all(project) }),
  });
  const checked = toggle.isPending ? toggle.variables : (alert.enabled ?? true);
  return (
    <>
      <Switch
        checked={checked}
        onChange={(e) => toggle.mutate(e.currentTarget.checked)}
        aria-label={`Alert ${alert.name} enabled`}
        disabled={!canWrite}
      />
      {toggle.isError && (
        <Text size="xs" c="red">
          {toggle.error.message}
        </Text>
      )}
    </>
  );
}

const DELIVERY_COLORS: Record<AlertEvent["delivery"], string> = {
  none: "gray",
  pending: "yellow",
  delivered: "teal",
  failed: "red",
};

export function DeliveryBadge({ delivery }: { delivery: AlertEvent["delivery"] }) {
  return (
    <Badge color={DELIVERY_COLORS[delivery]} variant="light" data-testid="delivery">
      {delivery === "none" ? "no webhook" : delivery}
    </Badge>
  );
}

/** The event's link to the filtered traces: inside the app when it points at this server. */
export function TracesLink({ link }: { link: string }) {
  if (!link) return null;
  const path = appPath(link, window.location.origin);
  if (path) {
    return (
      <Anchor component={Link} to={path} size="sm">
        Open traces
      </Anchor>
    );
  }
  return (
    <Anchor href={link} size="sm" target="_blank" rel="noreferrer">
      Open traces
    </Anchor>
  );
}
