// On-demand figures for /stats: the same figures as the weekly / monthly digests (SQL aggregates),
// over the last 7 local days including today (`/stats month`: the last 30), against the period before.
import type { Card } from "../../cards/model.js";
import { periodDigestCard } from "../../cards/digest.js";
import type { Locale } from "../core/types.js";
import { periodFigures, rollingPeriod } from "./figures.js";
import type { AppContext } from "./context.js";

/** `/stats`, `/stats week` → 7 days; `/stats month` (or 月) → 30 days. */
export const statsDays = (arg = ""): number => (/^(month|monthly|30|月|本月|近30天)$/i.test(arg.trim()) ? 30 : 7);

export async function statsCard(ctx: AppContext, locale: Locale, arg?: string): Promise<Card> {
  const period = rollingPeriod(ctx.calendar, ctx.now(), statsDays(arg));
  return periodDigestCard(await periodFigures(ctx, "stats", period, locale), { locale, timeZone: ctx.config.calendar.timeZone });
}
