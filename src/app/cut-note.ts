// What the timeline says when a message was cut to the bounds of src/platform/limits.ts.
import { fmt, messages } from "../../cards/i18n/index.js";
import type { Locale } from "../core/types.js";
import type { Cut } from "../platform/limits.js";

export function cutNote(cuts: Cut[] | undefined, locale: Locale): string | undefined {
  if (!cuts?.length) return undefined;
  const m = messages(locale).cut;
  return m.intro + cuts.map((c) => fmt(m[c.part], { kept: c.kept, total: c.total ?? c.kept })).join(m.sep);
}
