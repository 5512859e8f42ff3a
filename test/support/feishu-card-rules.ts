// Feishu card JSON 2.0 rules (reference section D + component docs), as a checker for tests.
// 2.0 rejects unknown properties, so each known tag has an allow-list of keys.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const MAX_BYTES = 30 * 1024;
const MAX_ELEMENTS = 200;
const HEADER_TEMPLATES = new Set(["blue", "wathet", "turquoise", "green", "yellow", "orange", "red", "carmine", "violet", "purple", "indigo", "grey", "default"]);
const TAG_COLORS = new Set(["neutral", "blue", "turquoise", "lime", "orange", "violet", "indigo", "wathet", "green", "yellow", "red", "purple", "carmine"]);
const BUTTON_TYPES = new Set(["default", "primary", "danger", "text", "primary_text", "danger_text", "primary_filled", "danger_filled", "laser"]);
const ELEMENT_ID = /^[A-Za-z][A-Za-z0-9_]{0,19}$/;

const COMMON = ["tag", "element_id", "margin"];
const ALLOWED: Record<string, string[]> = {
  markdown: [...COMMON, "content", "text_size", "text_align", "icon", "i18n_content"],
  div: [...COMMON, "text", "icon", "width", "fields"],
  hr: COMMON,
  column_set: [...COMMON, "columns", "flex_mode", "horizontal_spacing", "horizontal_align", "background_style", "action"],
  column: [...COMMON, "elements", "width", "weight", "vertical_align", "direction", "horizontal_spacing", "vertical_spacing", "horizontal_align", "padding", "background_style", "action"],
  form: [...COMMON, "name", "elements", "direction", "horizontal_spacing", "vertical_spacing", "horizontal_align", "vertical_align", "padding"],
  button: [...COMMON, "text", "type", "size", "width", "behaviors", "icon", "hover_tips", "disabled", "disabled_tips", "confirm", "name", "form_action_type"],
  select_static: [...COMMON, "type", "name", "required", "disabled", "placeholder", "initial_option", "initial_index", "width", "options", "behaviors", "confirm"],
  multi_select_static: [...COMMON, "type", "name", "required", "disabled", "placeholder", "selected_values", "width", "options", "behaviors", "confirm"],
  select_person: [...COMMON, "type", "name", "required", "disabled", "placeholder", "initial_option", "width", "options", "behaviors", "confirm"],
  multi_select_person: [...COMMON, "type", "name", "required", "disabled", "placeholder", "selected_values", "width", "options", "behaviors", "confirm"],
  input: [...COMMON, "name", "required", "placeholder", "default_value", "disabled", "disabled_tips", "width", "behaviors", "max_length", "input_type", "rows", "auto_resize", "max_rows", "show_icon", "label", "label_position", "value", "confirm", "fallback"],
  img: [...COMMON, "img_key", "alt", "title", "scale_type", "size", "corner_radius", "transparent", "preview"],
  person: [...COMMON, "user_id", "size", "show_avatar", "show_name", "style"],
  person_list: [...COMMON, "persons", "show_name", "show_avatar", "size", "lines", "drop_invalid_user_id", "icon", "ud_icon"],
  collapsible_panel: [...COMMON, "header", "elements", "expanded", "background_color", "border", "direction", "vertical_spacing", "horizontal_spacing", "padding"],
  interactive_container: [...COMMON, "elements", "behaviors", "width", "height", "direction", "horizontal_align", "vertical_align", "background_style", "has_border", "border_color", "corner_radius", "padding", "disabled", "disabled_tips", "hover_tips", "confirm", "horizontal_spacing", "vertical_spacing"],
  table: [...COMMON, "columns", "rows", "page_size", "row_height", "row_max_height", "freeze_first_column", "header_style"],
  date_picker: [...COMMON, "name", "required", "initial_date", "placeholder", "width", "disabled", "behaviors", "confirm"],
  picker_time: [...COMMON, "name", "required", "initial_time", "placeholder", "width", "disabled", "behaviors", "confirm"],
  picker_datetime: [...COMMON, "name", "required", "initial_datetime", "placeholder", "width", "disabled", "behaviors", "confirm"],
  overflow: [...COMMON, "options", "behaviors", "confirm", "width"],
  checker: [...COMMON, "name", "checked", "text", "overall_checkable", "button_area", "checked_style", "disabled", "disabled_tips", "hover_tips", "behaviors", "confirm", "padding"],
};
/** 1.0-only components that 2.0 rejects (https://open.larkoffice.com/document/uAjLw4CM/ukzMukzMukzM/feishu-cards/card-json-v2-breaking-changes-release-notes). */
const DEPRECATED = new Set(["action", "note"]);
/** Components that post values inside a form and therefore need a card-unique `name`. */
const FORM_FIELDS = new Set(["input", "select_static", "multi_select_static", "select_person", "multi_select_person", "date_picker", "picker_time", "picker_datetime", "checker", "button"]);
const ROOT_KEYS = new Set(["schema", "config", "card_link", "header", "body"]);
const CONFIG_KEYS = new Set(["update_multi", "enable_forward", "width_mode", "summary", "locales", "streaming_mode", "streaming_config", "enable_forward_interaction", "style", "use_custom_translation"]);
const HEADER_KEYS = new Set(["title", "subtitle", "template", "icon", "text_tag_list", "i18n_text_tag_list", "padding"]);

export function checkFeishuCard(json: unknown): string[] {
  const v: string[] = [];
  if (!isObj(json)) return ["card is not an object"];
  if (json.schema !== "2.0") v.push(`schema must be "2.0", got ${JSON.stringify(json.schema)}`);
  for (const k of Object.keys(json)) if (!ROOT_KEYS.has(k)) v.push(`unknown root key "${k}"${k === "elements" || k === "i18n_elements" || k === "fallback" ? " (1.0 structure)" : ""}`);

  if (!isObj(json.config) || json.config.update_multi !== true) v.push("config.update_multi must be true");
  if (isObj(json.config)) for (const k of Object.keys(json.config)) if (!CONFIG_KEYS.has(k)) v.push(`unknown config key "${k}"`);

  if (json.header !== undefined) checkHeader(json.header, v);

  const body = json.body;
  if (!isObj(body) || !Array.isArray(body.elements)) v.push("body.elements must be an array");
  else {
    const state: State = { names: new Map(), ids: new Set(), count: 0 };
    body.elements.forEach((el, i) => checkElement(el, `body.elements[${i}]`, { root: true, inForm: false, inColumn: false }, state, v));
    if (state.count > MAX_ELEMENTS) v.push(`${state.count} components, more than ${MAX_ELEMENTS}`);
  }

  const bytes = new TextEncoder().encode(JSON.stringify(json)).length;
  if (bytes > MAX_BYTES) v.push(`card is ${bytes} bytes, more than ${MAX_BYTES}`);
  return v;
}

interface State {
  names: Map<string, string>;
  ids: Set<string>;
  count: number;
}
interface Where {
  root: boolean;
  inForm: boolean;
  inColumn: boolean;
  parent?: string;
}

function checkText(t: unknown, path: string, v: string[], maxLen?: number, tags = ["plain_text", "lark_md"]): void {
  if (!isObj(t)) return void v.push(`${path} must be a text object`);
  if (!tags.includes(String(t.tag))) v.push(`${path}.tag must be one of ${tags.join("/")}`);
  if (typeof t.content !== "string") v.push(`${path}.content must be a string`);
  else if (maxLen && t.content.length > maxLen) v.push(`${path}.content longer than ${maxLen}`);
}

function checkHeader(h: unknown, v: string[]): void {
  if (!isObj(h)) return void v.push("header must be an object");
  for (const k of Object.keys(h)) if (!HEADER_KEYS.has(k)) v.push(`unknown header key "${k}"`);
  checkText(h.title, "header.title", v);
  if (h.subtitle !== undefined) checkText(h.subtitle, "header.subtitle", v);
  if (h.template !== undefined && !HEADER_TEMPLATES.has(String(h.template))) v.push(`header.template "${String(h.template)}" is not a template colour`);
  if (h.text_tag_list !== undefined) {
    if (!Array.isArray(h.text_tag_list)) return void v.push("header.text_tag_list must be an array");
    if (h.text_tag_list.length > 3) v.push("header.text_tag_list holds at most 3 tags");
    h.text_tag_list.forEach((t, i) => {
      const p = `header.text_tag_list[${i}]`;
      if (!isObj(t) || t.tag !== "text_tag") return void v.push(`${p}.tag must be "text_tag"`);
      checkText(t.text, `${p}.text`, v, undefined, ["plain_text"]);
      if (t.color !== undefined && !TAG_COLORS.has(String(t.color))) v.push(`${p}.color "${String(t.color)}" is not a tag colour`);
    });
  }
}

function checkBehaviors(b: unknown, path: string, v: string[]): void {
  if (!Array.isArray(b) || b.length === 0) return void v.push(`${path}.behaviors must be a non-empty array`);
  b.forEach((x, i) => {
    const p = `${path}.behaviors[${i}]`;
    if (!isObj(x)) return void v.push(`${p} must be an object`);
    if (x.type === "callback") {
      // The SDKs only handle object callback values (https://github.com/larksuite/node-sdk).
      if (!isObj(x.value)) v.push(`${p}.value must be an object`);
    } else if (x.type === "open_url") {
      if (typeof x.default_url !== "string" || !/^(https?:|lark:)/.test(x.default_url)) v.push(`${p}.default_url must be a URL`);
    } else v.push(`${p}.type "${String(x.type)}" must be callback or open_url`);
  });
}

function checkConfirm(c: unknown, path: string, v: string[]): void {
  if (c === undefined) return;
  if (!isObj(c)) return void v.push(`${path}.confirm must be an object`);
  checkText(c.title, `${path}.confirm.title`, v, undefined, ["plain_text"]);
  checkText(c.text, `${path}.confirm.text`, v, undefined, ["plain_text"]);
}

function checkOptions(el: Obj, path: string, v: string[], person: boolean): void {
  if (el.options === undefined && person) return;
  if (!Array.isArray(el.options) || (!person && el.options.length === 0)) return void v.push(`${path}.options must be a non-empty array`);
  const values = new Set<string>();
  el.options.forEach((o, i) => {
    const p = `${path}.options[${i}]`;
    if (!isObj(o) || typeof o.value !== "string" || o.value === "") return void v.push(`${p}.value must be a non-empty string`);
    if (values.has(o.value)) v.push(`${p}.value "${o.value}" repeats`);
    values.add(o.value);
    if (!person) checkText(o.text, `${p}.text`, v, 100, ["plain_text"]);
  });
  if (el.initial_option !== undefined && !values.has(String(el.initial_option)) && !(person && values.size === 0)) {
    v.push(`${path}.initial_option "${String(el.initial_option)}" is not one of the options`);
  }
}

function checkElement(el: unknown, path: string, where: Where, state: State, v: string[]): void {
  if (!isObj(el)) return void v.push(`${path} must be an object`);
  state.count++;
  const tag = String(el.tag);
  if (DEPRECATED.has(tag)) return void v.push(`${path}: "${tag}" is a 1.0 component, not allowed in 2.0`);
  const allowed = ALLOWED[tag];
  if (!allowed) return void v.push(`${path}: unknown tag "${tag}"`);
  for (const k of Object.keys(el)) if (!allowed.includes(k)) v.push(`${path}: property "${k}" is not allowed on ${tag}`);

  if (el.element_id !== undefined) {
    const id = String(el.element_id);
    if (!ELEMENT_ID.test(id)) v.push(`${path}.element_id "${id}" must start with a letter, use [A-Za-z0-9_], ≤20 chars`);
    if (state.ids.has(id)) v.push(`${path}.element_id "${id}" is not unique`);
    state.ids.add(id);
  }
  if (tag === "column" && where.parent !== "column_set") v.push(`${path}: column must sit directly in a column_set`);
  if (where.parent === "column_set" && tag !== "column") v.push(`${path}: column_set children must be columns`);

  const needsName = where.inForm && FORM_FIELDS.has(tag);
  if (needsName || (el.name !== undefined && tag !== "form")) {
    if (typeof el.name !== "string" || el.name === "") v.push(`${path}: ${tag} inside a form needs a name`);
    else {
      const prev = state.names.get(el.name);
      if (prev) v.push(`${path}.name "${el.name}" is already used at ${prev}`);
      state.names.set(el.name, path);
    }
  }
  if (!where.inForm && (el.required !== undefined || el.form_action_type !== undefined)) v.push(`${path}: required/form_action_type only work inside a form`);

  const kids = (key: "elements" | "columns", next: Where): void => {
    const list = el[key];
    if (list === undefined) return;
    if (!Array.isArray(list)) return void v.push(`${path}.${key} must be an array`);
    list.forEach((c, i) => checkElement(c, `${path}.${key}[${i}]`, next, state, v));
  };
  const nested: Where = { root: false, inForm: where.inForm, inColumn: where.inColumn, parent: tag };

  switch (tag) {
    case "markdown":
      if (typeof el.content !== "string") v.push(`${path}.content must be a string`);
      break;
    case "column_set":
      if (!Array.isArray(el.columns) || el.columns.length === 0) v.push(`${path}.columns must be a non-empty array`);
      kids("columns", nested);
      break;
    case "column":
      kids("elements", { ...nested, inColumn: true });
      break;
    case "form": {
      if (!where.root) v.push(`${path}: form must sit at the root of body.elements`);
      if (typeof el.name !== "string" || el.name === "") v.push(`${path}: form needs a name`);
      else {
        if (state.names.has(el.name)) v.push(`${path}.name "${el.name}" is already used at ${state.names.get(el.name)}`);
        state.names.set(el.name, path);
      }
      if (!Array.isArray(el.elements)) v.push(`${path}.elements must be an array`);
      kids("elements", { ...nested, inForm: true });
      if (!JSON.stringify(el.elements ?? []).includes('"form_action_type":"submit"')) v.push(`${path}: form needs a submit button`);
      break;
    }
    case "button":
      checkText(el.text, `${path}.text`, v, 100, ["plain_text", "lark_md"]);
      if (el.type !== undefined && !BUTTON_TYPES.has(String(el.type))) v.push(`${path}.type "${String(el.type)}" is not a button type`);
      if (el.form_action_type !== undefined && el.form_action_type !== "submit" && el.form_action_type !== "reset") v.push(`${path}.form_action_type must be submit or reset`);
      if (el.behaviors !== undefined || el.form_action_type === undefined) checkBehaviors(el.behaviors, path, v);
      checkConfirm(el.confirm, path, v);
      break;
    case "select_static":
    case "multi_select_static":
    case "select_person":
    case "multi_select_person":
      if (el.placeholder !== undefined) checkText(el.placeholder, `${path}.placeholder`, v, 100, ["plain_text"]);
      checkOptions(el, path, v, tag.endsWith("person"));
      if (tag.startsWith("multi_") && !where.inForm) v.push(`${path}: ${tag} only works inside a form`);
      if (!where.inForm) checkBehaviors(el.behaviors, path, v);
      else if (el.behaviors !== undefined) checkBehaviors(el.behaviors, path, v);
      checkConfirm(el.confirm, path, v);
      break;
    case "input":
      if (el.placeholder !== undefined) checkText(el.placeholder, `${path}.placeholder`, v, 100, ["plain_text"]);
      if (el.label !== undefined) checkText(el.label, `${path}.label`, v, undefined, ["plain_text"]);
      if (el.input_type !== undefined && !["text", "multiline_text", "password"].includes(String(el.input_type))) v.push(`${path}.input_type must be text/multiline_text/password`);
      if (el.max_length !== undefined && !(Number.isInteger(el.max_length) && (el.max_length as number) >= 1 && (el.max_length as number) <= 1000)) v.push(`${path}.max_length must be an integer in [1,1000]`);
      if (el.behaviors !== undefined) checkBehaviors(el.behaviors, path, v);
      checkConfirm(el.confirm, path, v);
      break;
    case "collapsible_panel":
    case "interactive_container":
      if (JSON.stringify(el.elements ?? []).includes('"tag":"form"')) v.push(`${path}: ${tag} cannot contain a form`);
      if (tag === "interactive_container") checkBehaviors(el.behaviors, path, v);
      kids("elements", nested);
      break;
    case "table":
      if (!where.root) v.push(`${path}: table must sit at the root of body.elements`);
      break;
    default:
      if (el.behaviors !== undefined) checkBehaviors(el.behaviors, path, v);
  }
}
