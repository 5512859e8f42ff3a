// Lengths of time on cards: "45 分钟", "2 小时 15 分钟", "3 天 2 小时".
import { fmt, messages } from "./i18n/index.js";
import type { Locale } from "../src/core/types.js";

/** `days: false` for working-time lengths, where a 24-hour day would mislead. */
export function formatMinutes(minutes: number | null | undefined, locale: Locale, o: { days?: boolean } = {}): string {
  const m = messages(locale).digest;
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return "—";
  const total = Math.max(0, Math.round(minutes));
  if (total < 60) return fmt(m.minutes, { m: total });
  const h = Math.floor(total / 60);
  const rest = total % 60;
  if (o.days !== false && h >= 48) return h % 24 ? fmt(m.days, { d: Math.floor(h / 24), h: h % 24 }) : fmt(m.daysOnly, { d: h / 24 });
  return rest ? fmt(m.hoursMinutes, { h, m: rest }) : fmt(m.hours, { h });
}
