// One escaping function per DingTalk element kind that user text can reach. The card renderer and the
// sender call only these; cards/safe-text.ts keeps markup and text apart so each is applied exactly once.

/**
 * Markdown: robot `markdown` / actionCard text (https://open.dingtalk.com/document/development/robot-message-type) and the
 * card template's Markdown component (https://open.dingtalk.com/document/development/markdown-variable-new). The marks
 * that make markup get a backslash (CommonMark escapes, https://spec.commonmark.org/0.31.2/#backslash-escapes): `[ ]` (links,
 * images), `<` `>` (<font> and other tags, quotes), `#` (headings), `|` (tables), `` ` `` (code), `* _ ~` (emphasis), `\`.
 * A zero-width space after "://" and "www" stops bare URLs from becoming links, and after `@`, so "@all" or
 * "@<userId>" typed by a reporter never matches a mention DingTalk rings. Line breaks are kept.
 */
export function dingtalkMarkdownText(s: string): string {
  return noAutoLinks(stripControls(s))
    .replace(/[\\`*_~[\]<>#|]/g, "\\$&")
    .replace(/@/g, "@\u200b");
}

/**
 * A markdown message's `title` (the chat-list and notification line): DingTalk shows it unrendered, so it
 * only has to stay one line; `@` is broken up as in the text.
 */
export function dingtalkTitle(s: string): string {
  return stripControls(s).replace(/\s*\n\s*/g, " ").replace(/@/g, "@\u200b");
}

/**
 * A card template variable bound to a Text component, a tag, a button label or a JSON list item
 * (https://open.dingtalk.com/document/development/instructions-for-filling-in-api-card-data): shown as written;
 * only controls are dropped.
 */
export function dingtalkTemplateText(s: string): string {
  return stripControls(s);
}

/**
 * A `text` message (session webhook or sampleText): DingTalk rings only the ids listed in `at`, and it
 * matches them against "@id" in the content, so user-written "@…" is broken up.
 */
export function dingtalkTextMessage(s: string): string {
  // Bare URLs stay as they are: a text message shows the address it links to (ours carry console links).
  return stripControls(s).replace(/@/g, "@\u200b");
}

const noAutoLinks = (s: string): string => s.replace(/:\/\//g, ":\u200b//").replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\u200b.`);

const stripControls = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
