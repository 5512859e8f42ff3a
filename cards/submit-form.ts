// The /new form card: the same fields a reporter would otherwise type after @mentioning the bot.
import type { Card } from "./model.js";
import { messages } from "./i18n/index.js";
import { mdMarkup } from "./safe-text.js";
import type { Locale } from "../src/core/types.js";
import { CHANNELS, PRIORITIES } from "../src/core/types.js";

export function submitFormCard(locale: Locale, categories: { id: string; label: string }[]): Card {
  const m = messages(locale);
  return {
    header: { title: m.card.formTitle, color: "blue" },
    blocks: [
      { type: "markdown", text: mdMarkup(m.card.formIntro) },
      {
        type: "form",
        name: "submit_form",
        inputs: [
          { type: "text", name: "description", label: m.form.descriptionLabel, required: true, multiline: true, maxLength: 2000 },
          { type: "text", name: "customer", label: m.form.customerLabel, maxLength: 100 },
          { type: "text", name: "contact", label: m.form.contactLabel, maxLength: 100 },
          { type: "text", name: "product", label: m.form.productLabel, maxLength: 100 },
          { type: "text", name: "expected", label: m.form.expectedLabel, maxLength: 20 },
          { type: "select", name: "channel", label: m.form.channelLabel, options: CHANNELS.map((c) => ({ label: m.channel[c], value: c })) },
          { type: "select", name: "category", label: m.form.categoryLabel, options: categories.map((c) => ({ label: c.label, value: c.id })) },
          { type: "select", name: "priority", label: m.form.priorityLabel, options: PRIORITIES.map((p) => ({ label: m.priority[p], value: p })) },
        ],
        submit: { type: "button", label: m.action.submit, style: "primary", value: { action: "submit" } },
      },
    ],
    summary: m.card.formTitle,
  };
}
