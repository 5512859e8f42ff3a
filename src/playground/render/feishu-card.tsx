// Feishu card JSON 2.0 as the Feishu client shows it (https://open.feishu.cn/document/feishu-cards/card-json-v2-structure):
// header with its colour and tags, markdown, column sets, buttons, selects, person pickers, forms and
// inputs. Anything else is drawn as a red box naming it, so a card the client would reject cannot hide.
import type { Child } from "hono/jsx";
import { raw } from "hono/html";
import { markdownToHtml } from "./markdown.js";

type El = Record<string, unknown>;

export interface CardRenderContext {
  nameOf: (userId: string) => string | undefined;
  /** Who a person picker offers: the chat's members. */
  members: { userId: string; name: string }[];
}

const text = (v: unknown): string => (typeof v === "object" && v !== null && typeof (v as El).content === "string" ? String((v as El).content) : typeof v === "string" ? v : "");
const list = (v: unknown): El[] => (Array.isArray(v) ? v.filter((x): x is El => typeof x === "object" && x !== null) : []);
const json = (v: unknown) => JSON.stringify(v ?? {});

export function Unknown(props: { what: string; detail?: unknown }) {
  return (
    <div class="unknown" role="alert">
      ⚠ {props.what}
      {props.detail !== undefined ? <pre>{JSON.stringify(props.detail, null, 1).slice(0, 400)}</pre> : null}
    </div>
  );
}

/** The callback a component carries (behaviors[].type == "callback"), or the URL it opens. */
function behaviour(el: El): { value?: unknown; url?: string } {
  for (const b of list(el.behaviors)) {
    if (b.type === "callback") return { value: b.value };
    if (b.type === "open_url") return { url: String(b.default_url ?? "") };
  }
  return {};
}

function Button(props: { el: El; inForm?: boolean }) {
  const { el } = props;
  const b = behaviour(el);
  const kind = String(el.type ?? "default");
  const confirm = el.confirm as El | undefined;
  const label = text(el.text);
  if (b.url) {
    return (
      <a class={`btn btn-${kind}`} href={b.url} target="_blank" rel="noopener noreferrer">
        {label}
      </a>
    );
  }
  return (
    <button
      type={props.inForm && el.form_action_type === "submit" ? "submit" : "button"}
      class={`btn btn-${kind}`}
      data-fs={props.inForm && el.form_action_type === "submit" ? "submit" : "button"}
      data-value={json(b.value)}
      data-name={typeof el.name === "string" ? el.name : undefined}
      data-confirm={confirm ? `${text(confirm.title)}\n${text(confirm.text)}` : undefined}
    >
      {label}
    </button>
  );
}

function SelectStatic(props: { el: El; inForm?: boolean }) {
  const { el } = props;
  const options = list(el.options);
  const initial = typeof el.initial_option === "string" ? el.initial_option : undefined;
  return (
    <select
      class="sel"
      name={props.inForm && typeof el.name === "string" ? el.name : undefined}
      required={props.inForm && el.required === true}
      data-fs={props.inForm ? undefined : "select_static"}
      data-value={json(behaviour(el).value)}
    >
      <option value="" selected={!initial}>
        {text(el.placeholder)}
      </option>
      {options.map((o) => (
        <option value={String(o.value ?? "")} selected={o.value === initial}>
          {text(o.text)}
        </option>
      ))}
    </select>
  );
}

function SelectPerson(props: { el: El; ctx: CardRenderContext; inForm?: boolean }) {
  const { el } = props;
  return (
    <select class="sel" name={props.inForm && typeof el.name === "string" ? el.name : undefined} data-fs={props.inForm ? undefined : "select_person"} data-value={json(behaviour(el).value)}>
      <option value="">{text(el.placeholder)}</option>
      {props.ctx.members.map((m) => (
        <option value={m.userId}>{m.name}</option>
      ))}
    </select>
  );
}

function Input(props: { el: El }) {
  const { el } = props;
  const multiline = el.input_type === "multiline_text";
  const attrs = {
    name: String(el.name ?? ""),
    required: el.required === true,
    placeholder: text(el.placeholder),
    maxlength: typeof el.max_length === "number" ? el.max_length : undefined,
  };
  return (
    <label class="field">
      <span>
        {text(el.label)}
        {el.required === true ? <em class="req">*</em> : null}
      </span>
      {multiline ? <textarea rows={typeof el.rows === "number" ? el.rows : 3} {...attrs}></textarea> : <input type="text" {...attrs} />}
    </label>
  );
}

function Columns(props: { el: El; ctx: CardRenderContext; inForm?: boolean }) {
  const flow = props.el.flex_mode === "flow";
  return (
    <div class={`cols ${flow ? "flow" : ""}`}>
      {list(props.el.columns).map((col) =>
        col.tag !== "column" ? (
          <Unknown what={`column_set child "${String(col.tag)}"`} />
        ) : (
          <div class="col" style={col.width === "weighted" ? `flex:${Number(col.weight ?? 1)} 1 0` : "flex:0 0 auto"}>
            <Elements els={list(col.elements)} ctx={props.ctx} inForm={props.inForm} />
          </div>
        ),
      )}
    </div>
  );
}

function Element(props: { el: El; ctx: CardRenderContext; inForm?: boolean }): Child {
  const { el, ctx } = props;
  switch (el.tag) {
    case "markdown":
      return <div class={`md ${el.text_size === "notation" ? "small" : ""}`}>{raw(markdownToHtml(String(el.content ?? ""), { nameOf: ctx.nameOf }))}</div>;
    case "hr":
      return <hr />;
    case "column_set":
      return <Columns el={el} ctx={ctx} inForm={props.inForm} />;
    case "button":
      return <Button el={el} inForm={props.inForm} />;
    case "select_static":
      return <SelectStatic el={el} inForm={props.inForm} />;
    case "select_person":
      return <SelectPerson el={el} ctx={ctx} inForm={props.inForm} />;
    case "input":
      return props.inForm ? <Input el={el} /> : <Unknown what="input outside a form (Feishu rejects it)" />;
    case "form":
      return props.inForm ? (
        <Unknown what="form inside a form" />
      ) : (
        <form class="form" data-form={String(el.name ?? "")}>
          <Elements els={list(el.elements)} ctx={ctx} inForm />
        </form>
      );
    default:
      return <Unknown what={`unsupported card element "${String(el.tag)}"`} detail={el} />;
  }
}

function Elements(props: { els: El[]; ctx: CardRenderContext; inForm?: boolean }) {
  return <>{props.els.map((el) => <Element el={el} ctx={props.ctx} inForm={props.inForm} />)}</>;
}

export function FeishuCard(props: { card: El; ctx: CardRenderContext }) {
  const { card } = props;
  const header = (card.header ?? {}) as El;
  const body = (card.body ?? {}) as El;
  const color = typeof header.template === "string" ? header.template : "default";
  return (
    <div class="fcard">
      {card.schema !== "2.0" ? <Unknown what={`card schema "${String(card.schema)}" (expected 2.0)`} /> : null}
      {card.header ? (
        <div class={`fhead t-${color}`}>
          <div class="ftitle">{text(header.title)}</div>
          {header.subtitle ? <div class="fsub">{text(header.subtitle)}</div> : null}
          <div class="tags">
            {list(header.text_tag_list).map((t) => (
              <span class={`tag tag-${String(t.color ?? "neutral")}`}>{text(t.text)}</span>
            ))}
          </div>
        </div>
      ) : null}
      <div class="fbody">
        <Elements els={list(body.elements)} ctx={props.ctx} />
      </div>
    </div>
  );
}
