// What DingTalk accepts, written down as checks (reference D.1, D.4, E.2, F.2, F.3). Each returns a
// list of violations; an empty list means the payload is within the documented rules.

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/** cardParamMap: Map<String,String>, key ≤ 100 B, value ≤ 1 KB; non-strings JSON-encoded (E.2, F.2). */
export function cardParamMapViolations(map: Record<string, unknown>, jsonKeys: string[] = [], boolKeys: string[] = []): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(map)) {
    if (bytes(k) > 100) out.push(`key ${k} longer than 100 bytes`);
    if (typeof v !== "string") {
      out.push(`${k} is ${typeof v}, not a string`);
      continue;
    }
    if (bytes(v) > 1024) out.push(`${k} is ${bytes(v)} bytes (> 1024)`);
    if (jsonKeys.includes(k) && v !== "") {
      try {
        JSON.parse(v);
      } catch {
        out.push(`${k} is not valid JSON`);
      }
    }
    if (boolKeys.includes(k) && v !== "true" && v !== "false") out.push(`${k} = ${JSON.stringify(v)} is not "true"/"false"`);
  }
  return out;
}

const MSG_KEYS = /^(sampleText|sampleMarkdown|sampleActionCard[2-6]?)$/;

/** Robot markdown subset (F.3): no tables, code fences, HTML, card-only rules; msgParam ≤ 15000 B (D.1). */
export function robotMessageViolations(m: { msgKey: string; msgParam: Record<string, unknown> }): string[] {
  const out: string[] = [];
  if (!MSG_KEYS.test(m.msgKey)) out.push(`unknown msgKey ${m.msgKey}`);
  for (const [k, v] of Object.entries(m.msgParam)) if (typeof v !== "string") out.push(`msgParam.${k} is not a string`);
  const size = bytes(JSON.stringify(m.msgParam));
  if (size > 15000) out.push(`msgParam is ${size} bytes (> 15000)`);
  const title = m.msgParam.title;
  if (typeof title !== "string" || title.trim() === "") out.push("empty title");
  const text = typeof m.msgParam.text === "string" ? m.msgParam.text : typeof m.msgParam.content === "string" ? m.msgParam.content : "";
  if (!text.trim()) out.push("empty text");
  for (const [i, line] of text.split("\n").entries()) {
    if (/^\s*\|/.test(line)) out.push(`line ${i + 1}: table row`);
    if (/^\s*```/.test(line)) out.push(`line ${i + 1}: code fence`);
    if (/^\s*\*\*\*\s*$/.test(line)) out.push(`line ${i + 1}: card-only horizontal rule`);
    if (/^#{7,}/.test(line)) out.push(`line ${i + 1}: heading deeper than ######`);
    if (/<\/?(font|br|div|span|p|table|tr|td)\b/i.test(line)) out.push(`line ${i + 1}: HTML tag`);
  }
  if (m.msgKey === "sampleActionCard" && (!m.msgParam.singleTitle || !m.msgParam.singleURL)) out.push("sampleActionCard needs singleTitle + singleURL");
  const n = /^sampleActionCard([2-5])$/.exec(m.msgKey)?.[1];
  if (n) for (let i = 1; i <= Number(n); i++) if (!m.msgParam[`actionTitle${i}`] || !m.msgParam[`actionURL${i}`]) out.push(`${m.msgKey} needs actionTitle${i} + actionURL${i}`);
  return out;
}

/** Session-webhook body (A.4): msgtype with its matching object; at most 50 @ targets (A.5). */
export function webhookBodyViolations(b: Record<string, any>): string[] {
  const out: string[] = [];
  const type = b.msgtype;
  if (!["text", "markdown", "actionCard"].includes(type)) out.push(`unexpected msgtype ${type}`);
  else if (!b[type]) out.push(`msgtype ${type} without its ${type} object`);
  if (type === "markdown" && (!b.markdown?.title || !b.markdown?.text)) out.push("markdown needs title + text");
  if ((b.at?.atUserIds?.length ?? 0) > 50) out.push("more than 50 @ targets");
  return out;
}
