// The platforms' markdown dialects as HTML: Feishu card markdown (<at id>, <font color>, entities) and
// DingTalk's robot / card markdown (headings, lists, quotes). Written here because no markdown
// library knows these tags; everything is HTML-escaped first, so only the constructs below become markup.

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);

export interface MarkdownOptions {
  /** Platform user id → display name, for <at id=…> (Feishu) and "@userId" (DingTalk). */
  nameOf?: (userId: string) => string | undefined;
}

const FONT_COLORS = new Set(["grey", "gray", "red", "green", "orange", "blue", "yellow", "purple", "violet", "carmine", "wathet", "turquoise", "indigo"]);

function inline(s: string, o: MarkdownOptions): string {
  return (
    s
      // Backslash escapes (the bot writes \_ and \*): the character itself, out of reach of the rules below.
      .replace(/\\([\\`*_{}[\]()#+\-.!|~])/g, (_, ch: string) => `&#${ch.charCodeAt(0)};`)
      .replace(/\\(&(?:amp;#\d{1,6}|lt|gt|amp|quot|#39);)/g, "$1")
      // Numeric entities are characters (Feishu shows &#60; as "<"); the & was escaped above.
      .replace(/&amp;#(\d{1,6});/g, (_, n: string) => `&#${n};`)
      .replace(/&lt;at (?:id|user_id)=(?:&quot;|&#39;)?([A-Za-z0-9_\-$:]+)(?:&quot;|&#39;)?&gt;(?:[^&]*)&lt;\/at&gt;/g, (_, id: string) => {
        const name = id === "all" ? "所有人" : (o.nameOf?.(id) ?? id);
        return `<span class="at">@${escapeHtml(name)}</span>`;
      })
      .replace(/&lt;font color=(?:&#39;|&quot;)?([a-z]+)(?:&#39;|&quot;)?&gt;([\s\S]*?)&lt;\/font&gt;/g, (m, color: string, text: string) =>
        FONT_COLORS.has(color) ? `<span class="c-${color}">${text}</span>` : m,
      )
      .replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, (_, text: string, url: string) => `<a href="${url}" target="_blank" rel="noopener noreferrer">${text}</a>`)
      .replace(/\*\*([^*\n]+)\*\*/g, "<b>$1</b>")
      .replace(/(^|[^*])\*([^*\n]+)\*(?!\*)/g, "$1<i>$2</i>")
      .replace(/~~([^~\n]+)~~/g, "<s>$1</s>")
      .replace(/`([^`\n]+)`/g, "<code>$1</code>")
  );
}

/** A <font> spanning lines is closed and reopened on each, so the line-by-line rules keep its colour. */
function fontPerLine(escaped: string): string {
  return escaped.replace(/(&lt;font color=[^&]*(?:&#39;|&quot;)?[a-z]*(?:&#39;|&quot;)?&gt;)([\s\S]*?)(&lt;\/font&gt;)/g, (_, open: string, inner: string, close: string) =>
    inner.split("\n").map((l) => `${open}${l}${close}`).join("\n"),
  );
}

/** Markdown → HTML for one platform message or card element. */
export function markdownToHtml(md: string, o: MarkdownOptions = {}): string {
  const out: string[] = [];
  let list: string[] | undefined;
  const flush = () => {
    if (list) out.push(`<ul>${list.join("")}</ul>`);
    list = undefined;
  };
  for (const raw of fontPerLine(escapeHtml(md)).split("\n")) {
    const line = raw.replace(/ {2}$/, "");
    let m: RegExpExecArray | null;
    if ((m = /^\s*[-*] (.*)$/.exec(line)) && !/^\*\*\*$/.test(line.trim())) {
      (list ??= []).push(`<li>${inline(m[1]!, o)}</li>`);
      continue;
    }
    flush();
    if ((m = /^(#{1,6}) (.*)$/.exec(line))) out.push(`<div class="h h${m[1]!.length}">${inline(m[2]!, o)}</div>`);
    else if ((m = /^&gt; ?(.*)$/.exec(line))) out.push(`<blockquote>${inline(m[1]!, o)}</blockquote>`);
    else if (/^(\*\*\*|---)$/.test(line.trim())) out.push("<hr>");
    else out.push(`${inline(line, o)}<br>`);
  }
  flush();
  return out.join("").replace(/(<br>)+$/, "");
}
