import { Text, Tooltip } from "@mantine/core";

import { formatSigned, isSignificant, toneColor, toneOf } from "./numbers";

interface Props {
  diff: number | null | undefined;
  /** 95 % interval of the difference, when known: a change whose interval holds zero is muted. */
  ciLow?: number | null;
  ciHigh?: number | null;
  lowerIsBetter?: boolean;
  format?: (v: number) => string;
  size?: "xs" | "sm" | "md";
}

/** A change against the baseline: signed, green when better, red when worse. */
export function Delta({ diff, ciLow, ciHigh, lowerIsBetter, format, size = "sm" }: Props) {
  if (diff === null || diff === undefined) {
    return (
      <Text span size={size} c="dimmed">
        —
      </Text>
    );
  }
  const tone = toneOf(diff, lowerIsBetter);
  const hasCi = ciLow !== undefined && ciHigh !== undefined && ciLow !== null && ciHigh !== null;
  const noisy = hasCi && tone !== "same" && !isSignificant(ciLow, ciHigh);
  const text = (
    <Text
      span
      size={size}
      fw={tone === "same" ? 400 : 600}
      c={tone === "same" ? "dimmed" : toneColor(tone)}
      opacity={noisy ? 0.6 : 1}
      data-tone={tone}
      style={{ fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" }}
    >
      {formatSigned(diff, format)}
    </Text>
  );
  if (!hasCi) return text;
  const label = `95% interval ${formatSigned(ciLow, format)} to ${formatSigned(ciHigh, format)}${
    noisy ? " — includes no change, could be noise" : ""
  }`;
  return (
    <Tooltip label={label} withArrow>
      {text}
    </Tooltip>
  );
}
