import { Select } from "@mantine/core";

import type { Role } from "../auth/authApi";
import { ROLE_HELP, ROLES } from "../auth/roles";

/** A role picker, least allowed first, each with what it may do. */
export function RoleSelect({
  value,
  onChange,
  label,
  disabled,
  ariaLabel,
}: {
  value: Role;
  onChange: (role: Role) => void;
  label?: string;
  disabled?: boolean;
  ariaLabel?: string;
}) {
  return (
    <Select
      label={label}
      aria-label={ariaLabel ?? label}
      data={ROLES.map((r) => ({ value: r, label: r }))}
      value={value}
      onChange={(v) => v && onChange(v as Role)}
      description={label ? ROLE_HELP[value] : undefined}
      allowDeselect={false}
      disabled={disabled}
      w={label ? 260 : 150}
      size={label ? "sm" : "xs"}
    />
  );
}
