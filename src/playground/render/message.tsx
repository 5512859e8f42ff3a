// One message as the chat client shows it, for the person looking (DingTalk private card data, who
// was buzzed): sender, time, the reply it answers, the body, and the page's own buttons under it.
import { raw } from "hono/html";
import { findTicketNumbers } from "../../core/numbering.js";
import type { PgTexts } from "../page/i18n.js";
import { personaByUserId, userIdOn, type Persona } from "../personas.js";
import type { Message, World } from "../world.js";
import { DingTalkCard, DingTalkRobot } from "./dingtalk.js";
import { FeishuCard } from "./feishu-card.js";
import { escapeHtml, markdownToHtml } from "./markdown.js";

export interface ViewContext {
  world: World;
  personas: Persona[];
  viewer: Persona;
  t: PgTexts;
  timeZone: string;
  botOpenId: string;
}

const clock = (iso: string, tz: string, en: boolean) =>
  new Intl.DateTimeFormat(en ? "en-GB" : "zh-CN", { timeZone: tz, month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", weekday: "short", hour12: false }).format(new Date(iso));

/** The ticket a message is about: the number in a card's title (or DingTalk's `number` variable). */
export function ticketOf(m: Message): string | undefined {
  if (m.body.type === "feishu_card") {
    const h = (m.body.card.header ?? {}) as { title?: { content?: string } };
    return findTicketNumbers(h.title?.content ?? "")[0];
  }
  if (m.body.type === "dingtalk_card") return m.body.data.number || findTicketNumbers(m.body.data.headerTitle ?? "")[0];
  if (m.body.type === "dingtalk_robot") return findTicketNumbers(String(m.body.param.title ?? ""))[0];
  return undefined;
}

function Body(props: { m: Message; v: ViewContext }) {
  const { m, v } = props;
  const nameOf = (id: string) => (id === v.botOpenId ? "ChatDesk" : personaByUserId(v.personas, m.platform, id)?.name);
  const members = v.personas.filter((p) => userIdOn(p, m.platform)).map((p) => ({ userId: userIdOn(p, m.platform)!, name: p.name }));
  const b = m.body;
  switch (b.type) {
    case "text":
    case "post": {
      let text = escapeHtml(b.text);
      for (const x of b.mentions ?? []) text = text.split(escapeHtml(x.key)).join(`<span class="at">@${escapeHtml(x.name)}</span>`);
      if (m.sender.kind === "bot") text = markdownToHtml(b.text, { nameOf });
      else text = text.replace(/\n/g, "<br>");
      return (
        <div class="text">
          {raw(text)}
          {b.type === "post" ? b.imageKeys.map((k) => <img class="pic" src={`/playground/api/images/${encodeURIComponent(k)}`} alt={v.t.image} />) : null}
        </div>
      );
    }
    case "image":
      return <img class="pic" src={`/playground/api/images/${encodeURIComponent(b.imageKey)}`} alt={v.t.image} />;
    case "feishu_card":
      return <FeishuCard card={b.card} ctx={{ nameOf, members }} />;
    case "dingtalk_card": {
      const mine = userIdOn(v.viewer, "dingtalk");
      return <DingTalkCard data={b.data} privateData={mine ? b.privateData[mine] : undefined} atNames={Object.entries(b.atUserIds ?? {}).map(([id, n]) => nameOf(id) ?? n)} />;
    }
    case "dingtalk_robot":
      return <DingTalkRobot msgKey={b.msgKey} param={b.param} nameOf={nameOf} />;
  }
}

export function MessageView(props: { m: Message; v: ViewContext }) {
  const { m, v } = props;
  const parent = m.parentId ? v.world.message(m.parentId) : undefined;
  const mine = m.sender.kind === "user" && m.sender.userId === userIdOn(v.viewer, m.platform);
  const who = m.sender.kind === "bot" ? v.t.bot : m.sender.name;
  const viewerId = userIdOn(v.viewer, m.platform);
  const buzzed = viewerId !== undefined && (m.urgent ?? []).includes(viewerId);
  const ticket = ticketOf(m);
  const delivered = m.sender.kind === "bot" || m.exchanges.some((e) => e.direction === "platform→bot");
  return (
    <div class={`msg ${m.sender.kind === "bot" ? "bot" : mine ? "mine" : "other"}`} id={`m-${m.id}`} data-id={m.id} data-rev={String(m.rev)}>
      <div class="who">
        <span class="name">{who}</span> <span class="time">{clock(m.at, v.timeZone, v.t.lang !== "English")}</span>
        {m.updates ? <span class="badge">{`${v.t.updated} ×${m.updates}`}</span> : null}
        {(m.urgent ?? []).length ? <span class={`badge urgent ${buzzed ? "me" : ""}`}>! {v.t.urgent}</span> : null}
      </div>
      {parent ? <div class="quote">↪ {quoteOf(parent)}</div> : null}
      <div class="bubble">
        <Body m={m} v={v} />
      </div>
      {!delivered ? <div class="hint">{v.t.notDelivered}</div> : null}
      <div class="acts">
        {m.platform === "feishu" ? (
          <button type="button" class="link" data-reply={m.id}>
            {v.t.reply}
          </button>
        ) : null}
        <button type="button" class="link" data-raw={m.id}>
          {v.t.raw}
        </button>
        {ticket ? (
          <button type="button" class="link" data-ticket={ticket}>
            {v.t.ticket} {ticket}
          </button>
        ) : null}
      </div>
    </div>
  );
}

function quoteOf(m: Message): string {
  const b = m.body;
  const s =
    b.type === "text" || b.type === "post"
      ? (b.mentions ?? []).reduce((acc, x) => acc.split(x.key).join(`@${x.name}`), b.text)
      : b.type === "feishu_card"
        ? String(((b.card.header ?? {}) as { title?: { content?: string } }).title?.content ?? "card")
        : b.type === "dingtalk_card"
          ? (b.data.headerTitle ?? "card")
          : b.type === "image"
            ? "[image]"
            : String(b.param.title ?? "");
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
}
