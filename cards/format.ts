// Small helpers shared by card templates: local time formatting, truncation.
export function formatLocal(d: Date | string | null | undefined, timeZone: string, withYear = false): string {
  if (!d) return "";
  const date = typeof d === "string" ? new Date(d) : d;
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(date);
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  return `${withYear ? `${p.year}-` : ""}${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export const truncate = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Card markdown treats these as syntax; user text is shown literally. */
export const escapeMd = (s: string): string => s.replace(/([*_`~\[\]<>])/g, "\\$1");
