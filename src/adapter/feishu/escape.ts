// One escaping function per Feishu element kind that user text can reach. The card renderer and the
// sender call only these; cards/safe-text.ts keeps markup and text apart so each is applied exactly once.

/**
 * Card `markdown` (JSON 2.0 rich text, https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/rich-text):
 * the characters that make markup become numeric HTML entities, which Feishu shows as the characters
 * themselves. `<` stops <at id=all>, <font>, <link>, <person>; `[ ]` stop links; `#`, `>` and `|` stop headings,
 * quotes and tables; `* _ ~ \` $ \\` stop emphasis, code and formulas; `&` keeps typed entities as typed. A
 * zero-width space after "://" and "www" stops bare URLs from becoming links. Line breaks stay.
 */
export function feishuMarkdownText(s: string): string {
  return noAutoLinks(stripControls(s)).replace(/[\\`*_~[\]<>#|$&]/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** `plain_text` (titles, buttons, placeholders, options): shown as written, one line where Feishu wants one. */
export function feishuPlainText(s: string): string {
  return stripControls(s);
}

/**
 * A `text` message (https://open.feishu.cn/document/server-docs/im-v1/message-content-description/create_json#c9e08671):
 * Feishu parses `<at user_id="…">` there (and `<at user_id="all">` is @everyone) and turns `[text](url)` into a
 * link. A zero-width space after `<` and between `]` and `(` keeps the text as the reader typed it, inert.
 */
export function feishuTextMessage(s: string): string {
  // Bare URLs stay as they are here: a text message shows the address it links to (ours carry console links).
  return stripControls(s).replace(/</g, "<\u200b").replace(/\]\(/g, "]\u200b(");
}

/** "https://x" and "www.x" in text are linked by the clients; a zero-width space breaks the pattern, not the look. */
export const noAutoLinks = (s: string): string => s.replace(/:\/\//g, ":\u200b//").replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}\u200b.`);

/** C0 controls other than tab and line feed would only garble the JSON the client renders. */
const stripControls = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "");
