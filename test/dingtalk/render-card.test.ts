import { mdMarkup, mdText } from "../../cards/safe-text.js";
import { dingtalkMarkdownVisible } from "../support/visible-text.js";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Card } from "../../cards/model.js";
import { ticketCard } from "../../cards/ticket.js";
import { decodeActionValue } from "../../src/adapter/dingtalk/parse.js";
import {
  MAX_BUTTONS,
  TEMPLATE_VARIABLES,
  renderCallbackResponse,
  renderRobotMessage,
  renderTemplateData,
} from "../../src/adapter/dingtalk/render-card.js";
import {
  cardParamMapViolations,
  robotMessageViolations,
  templateSheetViolations,
  ticketTemplateViolations,
  visibleWhen,
  webhookBodyViolations,
} from "../support/dingtalk-card-rules.js";

const template = JSON.parse(readFileSync(new URL("../../cards/dingtalk/ticket-template.json", import.meta.url), "utf8")) as {
  variables: { name: string; type: string }[];
  layout: { bind?: Record<string, string>; visibleWhen?: string }[];
};
const JSON_VARS = template.variables.filter((v) => /JSON/.test(v.type)).map((v) => v.name);
const BOOL_VARS = template.variables.filter((v) => v.type === "boolean").map((v) => v.name);

const T = "FB20240521001";
const v = (action: string) => ({ action, ticket: T, v: "2" });

const sample: Card = {
  header: { title: `${T} 系统报错无法登录`, subtitle: "处理中 · 问题反馈 · 技术部", color: "blue", tags: [{ text: "处理中", color: "blue" }, { text: "高", color: "orange" }] },
  blocks: [
    { type: "markdown", text: mdMarkup("") },
    { type: "fields", fields: [{ label: "编号", value: T }, { label: "优先级", value: "高" }] },
    { type: "markdown", text: mdMarkup("**问题描述**\n登录时报错 500") },
    { type: "divider" },
    { type: "note", text: mdMarkup("附件: 2") },
    {
      type: "actions",
      actions: [
        { type: "button", label: "认领", style: "primary", value: v("claim") },
        { type: "select", placeholder: "调整优先级", initial: "high", options: [{ label: "紧急", value: "urgent" }, { label: "高", value: "high" }], value: v("priority") },
        { type: "person_select", placeholder: "转派给", value: v("reassign") },
        { type: "button", label: "驳回", style: "danger", value: v("reject") },
      ],
    },
    {
      type: "form",
      name: "resolve_form",
      inputs: [{ type: "text", name: "result", label: "处理结果", placeholder: "写清根因", required: true }],
      submit: { type: "button", label: "解决", style: "primary", value: v("resolve") },
    },
    { type: "actions", actions: [{ type: "button", label: "查看详情", url: "https://desk.example.com/t/1", value: { action: "open_console" } }] },
  ],
  mentions: [{ platform: "dingtalk", userId: "0147008602", name: "张三" }, { platform: "feishu", userId: "ou_x", name: "李四" }],
  summary: `[处理中] ${T} 系统报错无法登录`,
  data: { number: T, headerTitle: "must not override" },
};

describe("template definition", () => {
  it("declares exactly the variables the renderer fills, without duplicates", () => {
    const names = template.variables.map((x) => x.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([...TEMPLATE_VARIABLES]);
  });

  it("every button slot calls back with params.value bound to its Value variable", () => {
    const text = readFileSync(new URL("../../cards/dingtalk/ticket-template.json", import.meta.url), "utf8");
    for (let n = 1; n <= MAX_BUTTONS; n++) expect(text).toContain(`"params": { "value": "btn${n}Value" }`);
  });

  it("the layout binds every variable and only declared ones; both form submits send their inputs", () => {
    expect(templateSheetViolations()).toEqual([]);
  });

  it("the notice shows only while its version is the card's", () => {
    const notice = template.layout.find((c) => c.bind?.text === "notice");
    const cond = notice!.visibleWhen!;
    expect(cond).toBe("notice != '' && noticeVersion == cardVersion");
    expect(visibleWhen(cond, { notice: "认领成功", noticeVersion: "2", cardVersion: "2" })).toBe(true);
    expect(visibleWhen(cond, { notice: "认领成功", noticeVersion: "2", cardVersion: "3" })).toBe(false);
    expect(visibleWhen(cond, { notice: "", noticeVersion: "", cardVersion: "" })).toBe(false);
  });
});

describe("renderTemplateData", () => {
  it("covers every template variable with a string within the card limits", () => {
    const d = renderTemplateData(sample);
    for (const name of TEMPLATE_VARIABLES) expect(d, name).toHaveProperty(name);
    expect(cardParamMapViolations(d, JSON_VARS, BOOL_VARS)).toEqual([]);
  });

  it("fills header, content, fields, note; mentions go where the empty markdown block is", () => {
    const d = renderTemplateData(sample);
    expect(d.headerTitle).toBe(sample.header.title);
    expect(d.headerColor).toBe("#007FFF");
    expect(JSON.parse(d.headerTags!)).toEqual([{ text: "处理中", color: "#007FFF" }, { text: "高", color: "#FF8A00" }]);
    expect(d.content!.startsWith("@张三\n\n**问题描述**")).toBe(true);
    expect(d.content).not.toContain("李四");
    expect(JSON.parse(d.fields!)).toEqual([{ label: "编号", value: T }, { label: "优先级", value: "高" }]);
    expect(d.note).toBe("附件: 2");
    expect(d.lastMessage).toBe(sample.summary);
  });

  it("shows the callback buttons in order, carrying our ActionValue; hides the unused slots", () => {
    const d = renderTemplateData(sample);
    expect([d.btn1Text, d.btn1Color, d.btn1Visible]).toEqual(["认领", "blue", "true"]);
    expect([d.btn2Text, d.btn2Color, d.btn2Visible]).toEqual(["驳回", "red", "true"]);
    expect(decodeActionValue(d.btn1Value)).toEqual(v("claim"));
    expect(decodeActionValue(d.btn2Value)).toEqual(v("reject"));
    for (let n = 3; n <= MAX_BUTTONS; n++) expect(d[`btn${n}Visible`]).toBe("false");
  });

  it("select, link and form slots; the person picker becomes a text command", () => {
    const d = renderTemplateData(sample);
    expect(d.selectVisible).toBe("true");
    expect(JSON.parse(d.selectOptions!)).toEqual([{ value: "urgent", text: "紧急" }, { value: "high", text: "高" }]);
    expect(d.selectIndex).toBe("1");
    expect(decodeActionValue(d.selectValue)).toEqual(v("priority"));
    expect([d.linkVisible, d.linkText, d.linkUrl]).toEqual(["true", "查看详情", "https://desk.example.com/t/1"]);
    expect([d.formVisible, d.formSubmitText, d.input1Visible, d.input1Label, d.input2Visible]).toEqual(["true", "解决", "true", "处理结果 *", "false"]);
    expect(JSON.parse(d.formMap!)).toEqual({ input1: "result" });
    expect(decodeActionValue(d.formValue)).toEqual(v("resolve"));
    expect(d.commands).toBe(`转派给：/reassign ${T} @处理人`);
  });

  it("passes extra card.data through without overriding layout variables", () => {
    const d = renderTemplateData(sample);
    expect(d.number).toBe(T);
    expect(d.headerTitle).toBe(sample.header.title);
  });

  it("more buttons than slots: the rest become commands; overlong text stays within 1 KB", () => {
    const many: Card = {
      header: { title: "长".repeat(800), color: "red" },
      blocks: [
        { type: "markdown", text: mdMarkup("描述".repeat(2000)) },
        { type: "fields", fields: Array.from({ length: 40 }, (_, i) => ({ label: `字段${i}`, value: "值".repeat(100) })) },
        { type: "actions", actions: Array.from({ length: 8 }, (_, i) => ({ type: "button" as const, label: `B${i}`, value: { action: `a${i}`, ticket: T } })) },
      ],
      summary: "s",
    };
    const d = renderTemplateData(many);
    expect(cardParamMapViolations(d, JSON_VARS, BOOL_VARS)).toEqual([]);
    expect(d.btn6Visible).toBe("true");
    expect(d.commands).toBe(`B6：/a6 ${T}\nB7：/a7 ${T}`);
    expect(JSON.parse(d.fields!).length).toBeGreaterThan(0);
    expect(d.content!.endsWith("…")).toBe(true);
  });

  it("renders the real ticket card within the rules", () => {
    const card = realTicket("in_progress");
    expect(cardParamMapViolations(renderTemplateData(card), JSON_VARS, BOOL_VARS)).toEqual([]);
    expect(ticketTemplateViolations(renderTemplateData(card))).toEqual([]);
    expect(robotMessageViolations(renderRobotMessage(card))).toEqual([]);
  });
});

const realTicket = (status: "open" | "in_progress" | "resolved" | "closed", version = 3) =>
  ticketCard(
    {
      number: T,
      title: "系统报错无法登录",
      description: "客户反馈：登录页点击登录后提示 500，影响全部门店。".repeat(20),
      status,
      priority: "high",
      categoryLabel: "问题反馈",
      departmentLabel: "技术部",
      handlerLabel: "王工",
      reporterLabel: "小钉",
      customerName: "华为",
      customerId: "CUS1002568",
      customerTier: "vip",
      customerContact: "13812345678",
      receivedAt: new Date("2024-05-21T01:00:00Z"),
      responseDueAt: new Date("2024-05-21T05:00:00Z"),
      resolutionDueAt: new Date("2024-05-23T01:00:00Z"),
      ...(status === "resolved" || status === "closed" ? { resolvedAt: new Date("2024-05-21T03:00:00Z"), result: "已修复" } : {}),
      attachmentCount: 1,
      version,
      timeline: [{ at: new Date("2024-05-21T01:00:00Z"), actor: "小钉", kind: "created" }],
      mentions: [{ platform: "dingtalk", userId: "u-handler", name: "王工" }],
    },
    { now: new Date("2024-05-21T02:00:00Z"), timeZone: "Asia/Shanghai", locale: "zh-CN" },
  );

const formsOf = (d: Record<string, string>) =>
  (["form", "form2"] as const).filter((f) => d[`${f}Visible`] === "true").map((f) => ({ action: decodeActionValue(d[`${f}Value`])?.action, map: JSON.parse(d[`${f}Map`]!) }));

describe("form slots", () => {
  it("a ticket in progress: 提交进展 in form 1, 解决 with its result input in form 2, no resolve command", () => {
    const d = renderTemplateData(realTicket("in_progress"));
    expect(formsOf(d)).toEqual([
      { action: "progress", map: { input1: "text" } },
      { action: "resolve", map: { form2Input1: "result" } },
    ]);
    expect([d.form2Title, d.form2SubmitText, d.form2SubmitColor, d.form2Input1Visible, d.form2Input1Label]).toEqual(["标记已解决", "标记已解决", "blue", "true", "处理结果 *"]);
    expect([d.form2Input2Visible, d.form2Input3Visible]).toEqual(["false", "false"]);
    expect(decodeActionValue(d.form2Value)).toEqual({ action: "resolve", ticket: T, v: "3" });
    expect(d.commands).not.toContain("/resolve");
    expect(ticketTemplateViolations(d)).toEqual([]);
  });

  it("awaiting confirmation: the rating form (two inputs) in form 1, 重新打开 with a reason in form 2", () => {
    const d = renderTemplateData(realTicket("resolved"));
    expect(formsOf(d)).toEqual([
      { action: "confirm", map: { input1: "score", input2: "comment" } },
      { action: "reopen", map: { form2Input1: "reason" } },
    ]);
    expect(d.form2SubmitColor).toBe("red");
    expect(d.commands).not.toContain("/reopen");
    expect(ticketTemplateViolations(d)).toEqual([]);
  });

  it("an open ticket has no form; a closed one has 重新打开 in form 1 and form 2 hidden", () => {
    const open = renderTemplateData(realTicket("open"));
    expect([open.formVisible, open.form2Visible]).toEqual(["false", "false"]);
    const closed = renderTemplateData(realTicket("closed"));
    expect(formsOf(closed)).toEqual([{ action: "reopen", map: { input1: "reason" } }]);
    expect(closed.form2Visible).toBe("false");
    for (const d of [open, closed]) expect(ticketTemplateViolations(d)).toEqual([]);
  });

  it("a third form, or one with more inputs than a slot holds, becomes a text command", () => {
    const form = (action: string, inputs: number) => ({
      type: "form" as const,
      name: action,
      inputs: Array.from({ length: inputs }, (_, i) => ({ type: "text" as const, name: `f${i}`, label: `字段${i}` })),
      submit: { type: "button" as const, label: action, value: v(action) },
    });
    const d = renderTemplateData({ header: { title: "t", color: "blue" }, blocks: [form("big", 4), form("a", 1), form("b", 3), form("c", 1)], summary: "s" });
    expect(formsOf(d).map((f) => f.action)).toEqual(["a", "b"]);
    expect(d.commands).toBe(`big：/big ${T} <字段0> <字段1> <字段2> <字段3>\nc：/c ${T} <字段0>`);
    expect(ticketTemplateViolations(d)).toEqual([]);
  });
});

describe("the template checker", () => {
  it("catches a form whose map names a hidden input, a hidden form showing inputs, and a shown button without a value", () => {
    const good = renderTemplateData(realTicket("in_progress"));
    expect(ticketTemplateViolations({ ...good, form2Input1Visible: "false" })).toEqual([
      "form form2: form2Map names [form2Input1] but the visible inputs are []",
    ]);
    expect(ticketTemplateViolations({ ...good, form2Visible: "false" })).toEqual(["form form2 is hidden but shows inputs form2Input1"]);
    expect(ticketTemplateViolations({ ...good, btn2Visible: "true", btn2Value: "", btn2Text: "" })).toEqual([
      "btn2 is shown but btn2Value is not an ActionValue",
      "btn2 is shown without a label (btn2Text)",
    ]);
    const { noticeVersion: _, ...withoutNoticeVersion } = good;
    expect(ticketTemplateViolations(withoutNoticeVersion)).toEqual(["template variable noticeVersion missing"]);
  });
});

describe("renderCallbackResponse", () => {
  it("updates the clicker's card and puts the toast in private data (E.5 shape)", () => {
    const r = renderCallbackResponse({ toast: { kind: "success", text: "已认领" }, card: sample }) as any;
    expect(r.cardUpdateOptions).toEqual({ updateCardDataByKey: true, updatePrivateDataByKey: true });
    expect(r.cardData.cardParamMap.headerTitle).toBe(sample.header.title);
    expect(r.userPrivateData).toEqual({ cardParamMap: { notice: "已认领", noticeKind: "success", noticeVersion: "" } });
  });

  it("stamps the notice with the version of the card it comes with, which the card data carries as cardVersion", () => {
    const r = renderCallbackResponse({ toast: { kind: "success", text: "认领成功" }, card: realTicket("in_progress", 4) }, v("claim")) as any;
    expect(r.cardData.cardParamMap.cardVersion).toBe("4");
    expect(r.userPrivateData.cardParamMap).toEqual({ notice: "认领成功", noticeKind: "success", noticeVersion: "4" });
  });

  it("without a card only the notice changes, stamped with the clicked card's version", () => {
    const r = renderCallbackResponse({ toast: { kind: "error", text: "无权限" } }, v("claim")) as any;
    expect(r.cardData).toBeUndefined();
    expect(r.userPrivateData.cardParamMap).toEqual({ notice: "无权限", noticeKind: "error", noticeVersion: "2" });
  });

  it("public card data never carries a notice: everyone but the clicker sees none", () => {
    const d = renderTemplateData(realTicket("open", 1));
    expect([d.notice, d.noticeKind, d.noticeVersion, d.cardVersion]).toEqual(["", "", "", "1"]);
  });
});

describe("renderRobotMessage (no template)", () => {
  it("markdown with the ticket, fields and the text commands; link buttons make it an actionCard", () => {
    const m = renderRobotMessage(sample);
    expect(robotMessageViolations(m)).toEqual([]);
    expect(m.msgKey).toBe("sampleActionCard");
    expect(m.msgParam).toMatchObject({ title: sample.summary, singleTitle: "查看详情", singleURL: "https://desk.example.com/t/1" });
    const text = m.msgParam.text!;
    expect(text).toContain(`#### ${sample.header.title}`);
    expect(text).toContain(`- **编号**：${T}`);
    expect(text).toContain("群里请先 @我");
    for (const c of [`/claim ${T}`, `/reject ${T} <原因>`, `/priority ${T} <紧急|高>`, `/reassign ${T} @处理人`, `/resolve ${T} <处理结果>`]) expect(dingtalkMarkdownVisible(text)).toContain(c);
    expect(dingtalkMarkdownVisible(text)).toContain("@张三"); // OpenAPI cannot @: names, not ids
  });

  it("plain markdown without link buttons; session-webhook form uses @userId and at.atUserIds", () => {
    const card: Card = { ...sample, blocks: sample.blocks.slice(0, 6) };
    const m = renderRobotMessage(card, { viaWebhook: true });
    expect(m.msgKey).toBe("sampleMarkdown");
    expect(webhookBodyViolations(m.webhook)).toEqual([]);
    expect(m.webhook).toMatchObject({ msgtype: "markdown", at: { atUserIds: ["0147008602"], isAtAll: false } });
    expect((m.webhook as any).markdown.text).toContain("@0147008602");
  });

  it("two or more links → sampleActionCardN with vertical buttons", () => {
    const links = ["a", "b", "c"].map((x) => ({ type: "button" as const, label: x, url: `https://x.example/${x}`, value: { action: "open" } }));
    const m = renderRobotMessage({ header: { title: "t", color: "blue" }, blocks: [{ type: "actions", actions: links }], summary: "s" });
    expect(m.msgKey).toBe("sampleActionCard3");
    expect(robotMessageViolations(m)).toEqual([]);
    expect((m.webhook as any).actionCard.btns).toHaveLength(3);
  });

  it("huge cards stay within 15000 bytes and keep the commands", () => {
    const big: Card = {
      header: { title: "大工单", color: "red" },
      blocks: [{ type: "markdown", text: mdMarkup("很长的描述".repeat(3000)) }, { type: "actions", actions: [{ type: "button", label: "认领", value: v("claim") }] }],
      summary: "大工单",
    };
    const m = renderRobotMessage(big);
    expect(robotMessageViolations(m)).toEqual([]);
    expect(m.msgParam.text).toContain(`/claim ${T}`);
  });

  it("user text with tables, fences and font tags stays text within the robot subset", () => {
    const card: Card = {
      header: { title: "Ticket", color: "blue" },
      blocks: [{ type: "markdown", text: mdText("| a | b |\n```\ncode\n```\n<font color=red>x</font>") }, { type: "divider" }],
      summary: "Ticket",
    };
    const m = renderRobotMessage(card);
    expect(robotMessageViolations(m)).toEqual([]);
    expect(m.msgParam.text).toContain("x");
  });
});
