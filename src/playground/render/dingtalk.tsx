// DingTalk as its client shows it: robot messages (text, markdown, actionCard) and interactive cards
// drawn from the card template the project ships (cards/dingtalk/ticket-template.json) with the card's
// public data and the viewer's private data, the way DingTalk lays out a published template.
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import template from "../../../cards/dingtalk/ticket-template.json" with { type: "json" };
import { escapeHtml, markdownToHtml } from "./markdown.js";
import { Unknown } from "./feishu-card.js";

type Node = { component: string; id?: string; bind?: Record<string, string>; visibleWhen?: string; loop?: string; localVariable?: string; onTap?: Tap; onChange?: Tap; children?: Node[] };
type Tap = { type: string; actionId?: string; params?: Record<string, string>; url?: string };
type Vars = Record<string, string>;

const LAYOUT = template.layout as Node[];

/** visibleWhen: `x` (x is "true"), `x != ''`, `a == b` (two variables), joined by `&&`. */
export function visible(expr: string | undefined, v: Vars): boolean {
  if (!expr) return true;
  return expr.split("&&").every((part) => {
    const p = part.trim();
    let m: RegExpExecArray | null;
    if ((m = /^(\w+) != ''$/.exec(p))) return (v[m[1]!] ?? "") !== "";
    if ((m = /^(\w+) == (\w+)$/.exec(p))) return (v[m[1]!] ?? "") === (v[m[2]!] ?? "");
    if (/^\w+$/.test(p)) return v[p] === "true";
    return false;
  });
}

function arrayVar(raw: string | undefined): Record<string, unknown>[] {
  try {
    const a: unknown = JSON.parse(raw ?? "[]");
    return Array.isArray(a) ? a.filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null) : [];
  } catch {
    return [];
  }
}

const STYLE: Record<string, string> = { blue: "primary_filled", gray: "default", red: "danger" };

/**
 * The 回传参数 of a tap with the variables filled in; `<local x>` (an input) and `<selected …>` (the
 * select's choice) are filled by the page when the person clicks.
 */
function params(tap: Tap, v: Vars): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, ref] of Object.entries(tap.params ?? {})) {
    const local = /^<local (\w+)>$/.exec(ref);
    if (local) out[k] = { $local: local[1] };
    else if (ref.startsWith("<selected")) out[k] = { $selected: true };
    else out[k] = v[ref] ?? "";
  }
  return out;
}

function kind(component: string): string {
  return component.split(/[\s(]/)[0]!;
}

function NodeView(props: { n: Node; v: Vars; item?: Record<string, unknown> }): Child {
  const { n, v } = props;
  if (!visible(n.visibleWhen, v)) return null;
  const b = (prop: string): string => {
    const ref = n.bind?.[prop];
    if (!ref) return "";
    if (ref.startsWith("item.")) return String(props.item?.[ref.slice(5)] ?? "");
    return v[ref] ?? "";
  };
  const kids = (n.children ?? []).map((c) => <NodeView n={c} v={v} />);
  switch (kind(n.component)) {
    case "Card":
      return <>{kids}</>;
    case "Header":
      return (
        <div class="dhead" style={`border-left-color:${safeColor(b("color"))}`}>
          <div class="dtitle">{b("title")}</div>
          {b("subtitle") ? <div class="dsub">{b("subtitle")}</div> : null}
          <div class="tags">
            {(n.children ?? []).flatMap((c) =>
              kind(c.component) === "Tag" && c.loop ? arrayVar(v[c.loop]).map((it) => <span class="dtag" style={`color:${safeColor(String(it.color ?? ""))};border-color:${safeColor(String(it.color ?? ""))}`}>{String(it.text ?? "")}</span>) : [],
            )}
          </div>
        </div>
      );
    case "Markdown":
      return <div class="md">{raw(markdownToHtml(b("content")))}</div>;
    case "Grid":
      return (
        <div class="dgrid">
          {arrayVar(n.loop ? v[n.loop] : "[]").map((it) => (
            <div class="dcell">
              <span class="dl">{String(it.label ?? "")}</span>
              <span class="dv">{raw(markdownToHtml(String(it.value ?? "")))}</span>
            </div>
          ))}
        </div>
      );
    case "BaseText": {
      const cls = /bold/.test(n.component) ? "dbold" : /noticeKind/.test(n.component) ? `dnotice n-${v.noticeKind ?? "info"}` : "small";
      return <div class={cls}>{b("text")}</div>;
    }
    case "ButtonList":
      return <div class="cols flow">{kids}</div>;
    case "SingleButton": {
      if (n.onTap?.type === "链接跳转") {
        return (
          <a class="btn btn-default" href={v[n.onTap.url ?? ""] ?? "#"} target="_blank" rel="noopener noreferrer">
            {b("text")}
          </a>
        );
      }
      return (
        <button type="button" class={`btn btn-${STYLE[b("style")] ?? "default"}`} data-dt={n.onTap?.actionId ?? n.id ?? ""} data-params={JSON.stringify(params(n.onTap ?? { type: "" }, v))}>
          {b("text")}
        </button>
      );
    }
    case "Select": {
      const options = arrayVar(b("options"));
      const selected = Number(b("selectedIndex"));
      return (
        <select class="sel" data-dt={n.onChange?.actionId ?? n.id ?? ""} data-params={JSON.stringify(params(n.onChange ?? { type: "" }, v))}>
          <option value="" selected={!(selected >= 0)}>
            {b("placeholder")}
          </option>
          {options.map((o, i) => (
            <option value={String(i)} selected={i === selected}>
              {String(o.text ?? o.value ?? "")}
            </option>
          ))}
        </select>
      );
    }
    case "Form":
      return <div class="dform">{kids}</div>;
    case "Input":
      return (
        <label class="field">
          <span>{b("label")}</span>
          <textarea rows={2} data-local={n.localVariable ?? ""} placeholder={b("placeholder")}></textarea>
        </label>
      );
    default:
      return <Unknown what={`template component "${n.component}" the playground cannot draw`} />;
  }
}

const safeColor = (c: string) => (/^#[0-9a-fA-F]{3,8}$/.test(c) ? c : "#888");

/** A card instance: public data with the viewer's private data over it (a non-empty private value wins). */
export function DingTalkCard(props: { data: Vars; privateData?: Vars; atNames?: string[] }) {
  const v: Vars = { ...props.data };
  for (const [k, x] of Object.entries(props.privateData ?? {})) if (x !== "") v[k] = x;
  return (
    <div class="dcard">
      {props.atNames?.length ? <div class="md">{props.atNames.map((n) => <span class="at">@{n} </span>)}</div> : null}
      {LAYOUT.map((n) => (
        <NodeView n={n} v={v} />
      ))}
    </div>
  );
}

const str = (v: unknown) => (typeof v === "string" ? v : "");

/** Marks for a mention while the text goes through markdownToHtml (private-use characters: no markdown rule touches them). */
const MARK = (i: number) => `\u{E000}${i}\u{E001}`;

/**
 * A session webhook's `at` as DingTalk draws it (https://open.dingtalk.com/document/development/robot-message-type): "@userId" of
 * someone in atUserIds becomes "@<their name>", highlighted; listed people the text does not name are
 * shown at its end; isAtAll is "@所有人". Any other "@x" — and everything in OpenAPI messages, which
 * cannot @ — stays the text it is.
 */
export function withMentions(text: string, at: unknown, nameOf: (id: string) => string | undefined): string {
  const a = (typeof at === "object" && at !== null ? at : {}) as { atUserIds?: unknown; isAtAll?: unknown };
  const ids = Array.isArray(a.atUserIds) ? a.atUserIds.filter((x): x is string => typeof x === "string" && x !== "") : [];
  const names: string[] = [];
  const mark = (name: string) => MARK(names.push(name) - 1);
  const placed = new Set<string>();
  let s = ids.length ? text.replace(/@([A-Za-z0-9_$.:-]+)/g, (m, id: string) => (ids.includes(id) ? (placed.add(id), mark(nameOf(id) ?? id)) : m)) : text;
  const rest = ids.filter((id) => !placed.has(id)).map((id) => mark(nameOf(id) ?? id));
  if (a.isAtAll === true) rest.push(mark("所有人"));
  if (rest.length) s = `${s} ${rest.join(" ")}`;
  return markdownToHtml(s).replace(/\u{E000}(\d+)\u{E001}/gu, (_, i: string) => `<span class="at">@${escapeHtml(names[Number(i)]!)}</span>`);
}

/** A robot message: sampleText / sampleMarkdown / sampleActionCard* (OpenAPI), or a session webhook body (with its `at`). */
export function DingTalkRobot(props: { msgKey: string; param: Record<string, unknown>; nameOf: (id: string) => string | undefined }) {
  const { msgKey, param } = props;
  const md = (s: string) => raw(withMentions(s, param.at, props.nameOf));
  const key = msgKey.replace(/^webhook:/, "");
  if (key === "sampleText" || key === "text") return <div class="dtext">{md(str(param.content))}</div>;
  if (key === "sampleMarkdown" || key === "markdown") {
    return (
      <div class="dmd">
        <div class="md">{md(str(param.text))}</div>
      </div>
    );
  }
  if (key.startsWith("sampleActionCard") || key === "actionCard") {
    const links: { title: string; url: string }[] = [];
    if (str(param.singleTitle)) links.push({ title: str(param.singleTitle), url: str(param.singleURL) });
    for (let i = 1; i <= 5; i++) if (str(param[`actionTitle${i}`])) links.push({ title: str(param[`actionTitle${i}`]), url: str(param[`actionURL${i}`]) });
    for (const b of Array.isArray(param.btns) ? (param.btns as Record<string, unknown>[]) : []) links.push({ title: str(b.title), url: str(b.actionURL) });
    return (
      <div class="dmd">
        <div class="md">{md(str(param.text))}</div>
        <div class="cols flow">
          {links.map((l) => (
            <a class="btn btn-default" href={/^https?:\/\//.test(l.url) ? l.url : "#"} target="_blank" rel="noopener noreferrer">
              {l.title}
            </a>
          ))}
        </div>
      </div>
    );
  }
  return <Unknown what={`robot message type "${msgKey}"`} detail={param} />;
}
