// The full timeline of a ticket: who, when, what, and from where (card, command, web…).
import type { TicketEventRow } from "../../store/tickets.js";
import type { Texts } from "../i18n.js";
import type { Labels } from "../labels.js";

/** The detail of one event in words (labels for codes, names for people): app/labels.ts via Labels.event. */
export const eventDetail = (e: Pick<TicketEventRow, "kind" | "payload">, labels: Labels, _tx?: Texts, platform?: string): string => labels.event(e, platform);

export function Timeline(props: { events: TicketEventRow[]; labels: Labels; tx: Texts; platform?: string }) {
  const { m } = props.tx;
  return (
    <ol class="timeline">
      {props.events.map((e) => {
        const detail = props.labels.event(e, props.platform);
        return (
          <li data-kind={e.kind}>
            <div class="small muted">
              {props.labels.time(e.at)} · {props.labels.source(e.source)}
            </div>
            <div>
              <strong>{props.labels.person(e.actorId, e.actorName, props.platform)}</strong> {m.event[e.kind] ?? e.kind}
            </div>
            {detail && <div class="text">{detail}</div>}
          </li>
        );
      })}
    </ol>
  );
}
