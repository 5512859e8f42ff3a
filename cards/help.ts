import type { Card } from "./model.js";
import { messages } from "./i18n/index.js";
import { mdMarkup } from "./safe-text.js";
import type { Locale } from "../src/core/types.js";

export function helpCard(locale: Locale): Card {
  const m = messages(locale);
  return {
    header: { title: m.card.helpTitle, color: "blue" },
    blocks: [
      { type: "markdown", text: mdMarkup(m.card.helpBody) },
      { type: "actions", actions: [{ type: "button", label: m.action.submit, style: "primary", value: { action: "new_form" } }] },
    ],
    summary: m.card.helpTitle,
  };
}
