// The full timeline of a ticket: who, when, what, and from where (card, command, web…).
import type { TicketEventRow } from "../../store/tickets.js";
import type { Texts } from "../i18n.js";
import type { Labels } from "../labels.js";

const str = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : undefined);

/** The detail of one event in words, from its payload. */
export function eventDetail(e: Pick<TicketEventRow, "kind" | "payload">, labels: Labels, tx: Texts): string {
  let p: Record<string, unknown> = {};
  try {
    p = JSON.parse(e.payload) as Record<string, unknown>;
  } catch {
    /* an unreadable payload still shows the event itself */
  }
  const stars = (n: unknown) => (typeof n === "number" && n >= 1 && n <= 5 ? `${"★".repeat(n)}${"☆".repeat(5 - n)} ${(tx.m.satisfaction as Record<number, string>)[n]}` : "");
  switch (e.kind) {
    case "priority":
      return `${labels.priority(str(p.from) ?? "")} → ${labels.priority(str(p.to) ?? "")}`;
    case "category":
      return `${labels.category(str(p.from) ?? "")} → ${labels.category(str(p.to) ?? "", str(p.subCategory))}`;
    case "reassigned":
      return `${p.fromHandler ? `${labels.person(str(p.fromHandler))} → ` : "→ "}${labels.person(str(p.to))}`;
    case "collaborate":
      return `+ ${labels.person(str(p.to))}`;
    case "merged":
      return `→ ${str(p.into) ?? ""}`;
    case "rated":
    case "confirmed":
      return [stars(p.score), str(p.comment)].filter(Boolean).join(" · ");
    default:
      return str(p.text) ?? str(p.result) ?? str(p.reason) ?? str(p.plan) ?? "";
  }
}

export function Timeline(props: { events: TicketEventRow[]; labels: Labels; tx: Texts }) {
  const { m } = props.tx;
  return (
    <ol class="timeline">
      {props.events.map((e) => {
        const detail = eventDetail(e, props.labels, props.tx);
        return (
          <li data-kind={e.kind}>
            <div class="small muted">
              {props.labels.time(e.at)} · {props.labels.source(e.source)}
            </div>
            <div>
              <strong>{e.actorName ?? e.actorId}</strong> {m.event[e.kind] ?? e.kind}
            </div>
            {detail && <div class="text">{detail}</div>}
          </li>
        );
      })}
    </ol>
  );
}
