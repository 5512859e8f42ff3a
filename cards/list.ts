// A list of tickets (/list, /find): one line each with status, priority and deadline.
import type { Block, Card } from "./model.js";
import { formatLocal, truncate } from "./format.js";
import { md, mdFmt, mdLink, mdMarkup } from "./safe-text.js";
import { messages } from "./i18n/index.js";
import type { Locale, Priority, Status } from "../src/core/types.js";

export interface ListItem {
  number: string;
  title: string;
  status: Status;
  priority: Priority;
  resolutionDueAt: Date;
  overdue: boolean;
  url?: string;
}

export function listCard(title: string, items: ListItem[], total: number, o: { locale: Locale; timeZone: string }): Card {
  const m = messages(o.locale);
  const blocks: Block[] = [];
  if (!items.length) blocks.push({ type: "markdown", text: mdMarkup(m.card.listEmpty) });
  for (const it of items) {
    const name = it.url ? mdLink(it.number, it.url) : md`**${it.number}**`;
    blocks.push({
      type: "markdown",
      text: md`${name} ${truncate(it.title, 40)}\n${m.status[it.status]} · ${m.priority[it.priority]} · ${m.field.resolutionDue} ${formatLocal(it.resolutionDueAt, o.timeZone)}${it.overdue ? md` **${m.overdue}**` : ""}`,
    });
  }
  if (total > items.length) blocks.push({ type: "note", text: mdFmt(m.card.listMore, { total, shown: items.length }) });
  return { header: { title, color: "blue" }, blocks, summary: `${title} (${total})` };
}
