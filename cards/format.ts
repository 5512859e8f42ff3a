// Small helpers shared by card templates: local time formatting, truncation.
// Building an Intl.DateTimeFormat is costly (a few % of server CPU when done per card); one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    formatters.set(timeZone, f);
  }
  return f;
}

export function formatLocal(d: Date | string | null | undefined, timeZone: string, withYear = false): string {
  if (!d) return "";
  const date = typeof d === "string" ? new Date(d) : d;
  const p = Object.fromEntries(formatterFor(timeZone).formatToParts(date).map((x) => [x.type, x.value]));
  return `${withYear ? `${p.year}-` : ""}${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export const truncate = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

