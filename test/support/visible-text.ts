// What a person reads on a card or message, from the JSON the fake platform received — and the live markup
// in it (links, @mentions, colour tags, headings, code) that did not come from ChatDesk's own templates.
// Written for the tests: it follows the escapes src/adapter/*/escape.ts write (Feishu numeric entities,
// DingTalk CommonMark backslashes and a zero-width space after "@").

type Json = Record<string, unknown>;

/* --------------------------------- Feishu --------------------------------- */

/** Every text a Feishu 2.0 card shows, in order: header, tags, markdown, plain_text (buttons, inputs, options). */
export function feishuCardTexts(card: Json, nameOf: (id: string) => string | undefined = () => undefined): string[] {
  const out: string[] = [];
  const header = card.header as Json | undefined;
  if (header) {
    for (const k of ["title", "subtitle"]) {
      const t = header[k] as Json | undefined;
      if (t?.content) out.push(String(t.content));
    }
    for (const tag of (header.text_tag_list as Json[] | undefined) ?? []) out.push(String((tag.text as Json).content));
  }
  const walk = (el: unknown): void => {
    if (Array.isArray(el)) return el.forEach(walk);
    if (typeof el !== "object" || el === null) return;
    const o = el as Json;
    if (o.tag === "markdown") out.push(feishuMarkdownVisible(String(o.content), nameOf));
    else if (o.tag === "plain_text") out.push(String(o.content));
    for (const [k, v] of Object.entries(o)) if (k !== "behaviors" && typeof v === "object") walk(v);
  };
  walk((card.body as Json | undefined)?.elements);
  return out;
}

/** Feishu card markdown as read: mentions as "@name", entities as characters, emphasis and our grey wrapper dropped. */
export function feishuMarkdownVisible(content: string, nameOf: (id: string) => string | undefined = () => undefined): string {
  return content
    .replace(/<at id=([^>\s]+)><\/at>/g, (_, id: string) => `@${id === "all" ? "所有人" : (nameOf(id) ?? id)}`)
    .replace(/^<font color='grey'>([\s\S]*)<\/font>$/, "$1")
    .replace(/\*\*/g, "")
    .replace(/\[([^\]]*)\]\((https?:[^)]*)\)/g, "$1")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)))
    .replace(/\u200b/g, "");
}

/** Live markup in Feishu card markdown that is not ours: links (other than to `allowedLinkPrefix`), @ tags not listed, colour / font tags, headings, code. */
export function feishuLiveMarkup(content: string, o: { mentions?: string[]; allowedLinkPrefix?: string } = {}): string[] {
  const found: string[] = [];
  const body = content.replace(/^<font color='grey'>([\s\S]*)<\/font>$/, "$1");
  for (const m of body.matchAll(/<at\s+(?:id|ids|email)=([^>\s]+)/g)) if (!(o.mentions ?? []).includes(m[1]!)) found.push(`@ tag ${m[0]}`);
  for (const m of body.matchAll(/<(font|link|person|text_tag|number_tag|local_datetime|a)\b/g)) found.push(`tag <${m[1]}>`);
  for (const m of body.matchAll(/\[[^\]\n]*\]\(([^)\n]*)\)/g)) if (!o.allowedLinkPrefix || !m[1]!.startsWith(o.allowedLinkPrefix)) found.push(`link ${m[0]}`);
  for (const m of body.matchAll(/https?:\/\/\S+/g)) if (!o.allowedLinkPrefix || !m[0].startsWith(o.allowedLinkPrefix)) found.push(`bare URL ${m[0]}`);
  if (/^\s*#{1,6}\s/m.test(body)) found.push("heading");
  if (/`/.test(body)) found.push("code");
  if (/^\s*>/m.test(body)) found.push("quote");
  return found;
}

/** Every markdown element's raw content of a Feishu card. */
export function feishuMarkdowns(card: Json): string[] {
  const out: string[] = [];
  const walk = (el: unknown): void => {
    if (Array.isArray(el)) return el.forEach(walk);
    if (typeof el !== "object" || el === null) return;
    const o = el as Json;
    if (o.tag === "markdown") out.push(String(o.content));
    for (const v of Object.values(o)) if (typeof v === "object") walk(v);
  };
  walk((card.body as Json | undefined)?.elements);
  return out;
}

/** A Feishu text message's content as read: <at user_id> tags as "@name", zero-width spaces gone. */
export function feishuTextVisible(text: string, nameOf: (id: string) => string | undefined = () => undefined): string {
  return text.replace(/<at user_id="([^"]*)"><\/at>/g, (_, id: string) => `@${id === "all" ? "所有人" : (nameOf(id) ?? id)}`).replace(/\u200b/g, "");
}

/* -------------------------------- DingTalk -------------------------------- */

/** DingTalk markdown as read: backslash escapes resolved, zero-width spaces gone, emphasis, heading and quote marks dropped. */
export function dingtalkMarkdownVisible(text: string): string {
  return text
    .replace(/^#{1,6} /gm, "")
    .replace(/^> /gm, "")
    .replace(/(^|[^\\])\*\*/g, "$1")
    .replace(/(^|[^\\])\[([^\]]*)\]\((https?:[^)]*)\)/g, "$1$2")
    .replace(/\\([!-/:-@[-`{-~])/g, "$1")
    .replace(/\u200b/g, "")
    .replace(/ {2}\n/g, "\n");
}

/** Live markup in DingTalk markdown: unescaped links, tags, code, and "@x" that DingTalk would ring although x is not in atUserIds. */
export function dingtalkLiveMarkup(text: string, o: { atUserIds?: string[]; allowedLinkPrefix?: string; ownHeading?: boolean } = {}): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(^|[^\\])\[[^\]\n]*\]\(([^)\n]*)\)/g)) if (!o.allowedLinkPrefix || !m[2]!.startsWith(o.allowedLinkPrefix)) found.push(`link ${m[0]}`);
  for (const m of text.matchAll(/(^|[^\\])<\/?([a-z]+)/gi)) found.push(`tag <${m[2]}>`);
  for (const m of text.matchAll(/(^|[^\\])(https?):\/\//g)) found.push(`bare URL ${m[2]}://`);
  if (/(^|[^\\])`/.test(text)) found.push("code");
  const headings = text.split("\n").filter((l) => /^\s*#{1,6}\s/.test(l)).length;
  if (headings > (o.ownHeading ? 1 : 0)) found.push("heading");
  // DingTalk rings "@id" for the ids listed in `at` (ids are ASCII); anything else after an @ is text.
  for (const m of text.matchAll(/@([A-Za-z0-9_$.:-]+)/g)) if (!(o.atUserIds ?? []).includes(m[1]!)) found.push(`@${m[1]}`);
  return found;
}

/** Template data (cardParamMap) as read: header, tags, markdown content, fields, note, buttons and commands. */
export function dingtalkTemplateTexts(d: Record<string, string>): string[] {
  const out = [d.headerTitle ?? "", d.headerSubtitle ?? ""];
  for (const t of JSON.parse(d.headerTags || "[]") as { text: string }[]) out.push(t.text);
  out.push(dingtalkMarkdownVisible(d.content ?? ""));
  for (const f of JSON.parse(d.fields || "[]") as { label: string; value: string }[]) out.push(`${f.label}：${f.value}`);
  out.push(d.note ?? "", d.commands ?? "");
  for (let n = 1; n <= 6; n++) if (d[`btn${n}Visible`] === "true") out.push(d[`btn${n}Text`] ?? "");
  return out.filter(Boolean);
}

/**
 * A DingTalk robot text as the group reads it: "@userId" of someone in atUserIds is drawn as "@<their name>"
 * (the session webhook's at.atUserIds, https://open.dingtalk.com/document/development/robot-message-type); any other "@x" stays text.
 */
export function dingtalkTextVisible(text: string, atUserIds: string[], nameOf: (userId: string) => string | undefined): string {
  return text.replace(/@([A-Za-z0-9_$.:-]+)/g, (all, id: string) => (atUserIds.includes(id) ? `@${nameOf(id) ?? id}` : all)).replace(/\u200b/g, "");
}
