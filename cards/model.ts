// Platform-neutral card model. Card templates in cards/*.ts build these; each platform adapter
// has a renderer (Feishu card JSON 2.0, DingTalk template data / markdown + actionCard).
// Every `string` here is text shown literally (renderers escape it for the element it lands in); markup
// exists only as Md (cards/safe-text.ts), so user text cannot become a link, a mention or a tag.
import type { Md } from "./safe-text.js";

export type CardColor = "blue" | "wathet" | "turquoise" | "green" | "yellow" | "orange" | "red" | "carmine" | "violet" | "purple" | "indigo" | "grey";

/** Every interactive element carries this payload back to us in the callback. */
export interface ActionValue {
  /** Action name: claim | progress | plan | priority | category | reassign | resolve | reject | confirm | reopen | merge | submit | list_page … */
  action: string;
  /** Ticket number the action applies to, when there is one. */
  ticket?: string;
  [key: string]: string | undefined;
}

export interface Button {
  type: "button";
  label: string;
  style?: "primary" | "danger" | "default";
  value: ActionValue;
  confirm?: { title: string; text: string };
  /** Open a URL instead of calling back. */
  url?: string;
}

export interface SelectOption {
  label: string;
  value: string;
}

export interface Select {
  type: "select";
  placeholder: string;
  options: SelectOption[];
  initial?: string;
  value: ActionValue;
}

export interface PersonSelect {
  type: "person_select";
  placeholder: string;
  value: ActionValue;
}

export type Action = Button | Select | PersonSelect;

export interface TextInput {
  type: "text";
  name: string;
  label: string;
  placeholder?: string;
  required?: boolean;
  multiline?: boolean;
  maxLength?: number;
}

export interface SelectInput {
  type: "select";
  name: string;
  label: string;
  options: SelectOption[];
  required?: boolean;
  initial?: string;
}

export type FormInput = TextInput | SelectInput;

export type Block =
  | { type: "markdown"; text: Md } // subset: **bold**, [link](url), line breaks; @mentions are placed by the renderer
  | { type: "fields"; fields: { label: string; value: string | Md }[] }
  | { type: "divider" }
  | { type: "note"; text: Md }
  | { type: "actions"; actions: Action[] }
  | { type: "form"; name: string; inputs: FormInput[]; submit: Button; cancel?: Button };

export interface Card {
  header: { title: string; subtitle?: string; color: CardColor; tags?: { text: string; color: CardColor }[] };
  blocks: Block[];
  /** Platform user ids to @mention in the card body (renderers place them in a markdown block). */
  mentions?: { platform: "feishu" | "dingtalk"; userId: string; name?: string }[];
  /** Fallback plain summary (notifications, DingTalk markdown fallback title). */
  summary: string;
  /** Flat key/value data for template-based renderers (DingTalk card template variables). */
  data?: Record<string, string>;
  /** The card's language, for text a renderer adds (DingTalk's command hints); without it, guessed from the title. */
  locale?: "zh-CN" | "en";
}
