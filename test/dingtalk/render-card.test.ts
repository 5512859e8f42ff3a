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
import { cardParamMapViolations, robotMessageViolations, webhookBodyViolations } from "../support/dingtalk-card-rules.js";

const template = JSON.parse(readFileSync(new URL("../../cards/dingtalk/ticket-template.json", import.meta.url), "utf8")) as {
  variables: { name: string; type: string }[];
};
const JSON_VARS = template.variables.filter((v) => /JSON/.test(v.type)).map((v) => v.name);
const BOOL_VARS = template.variables.filter((v) => v.type === "boolean").map((v) => v.name);

const T = "FB20240521001";
const v = (action: string) => ({ action, ticket: T, v: "2" });

const sample: Card = {
  header: { title: `${T} 系统报错无法登录`, subtitle: "处理中 · 问题反馈 · 技术部", color: "blue", tags: [{ text: "处理中", color: "blue" }, { text: "高", color: "orange" }] },
  blocks: [
    { type: "markdown", text: "" },
    { type: "fields", fields: [{ label: "编号", value: T }, { label: "优先级", value: "高" }] },
    { type: "markdown", text: "**问题描述**\n登录时报错 500" },
    { type: "divider" },
    { type: "note", text: "附件: 2" },
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
        { type: "markdown", text: "描述".repeat(2000) },
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
    const card = ticketCard(
      {
        number: T,
        title: "系统报错无法登录",
        description: "客户反馈：登录页点击登录后提示 500，影响全部门店。".repeat(20),
        status: "in_progress",
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
        attachmentCount: 1,
        version: 3,
        timeline: [{ at: new Date("2024-05-21T01:00:00Z"), actor: "小钉", kind: "created" }],
        mentions: [{ platform: "dingtalk", userId: "u-handler", name: "王工" }],
      },
      { now: new Date("2024-05-21T02:00:00Z"), timeZone: "Asia/Shanghai", locale: "zh-CN" },
    );
    expect(cardParamMapViolations(renderTemplateData(card), JSON_VARS, BOOL_VARS)).toEqual([]);
    expect(robotMessageViolations(renderRobotMessage(card))).toEqual([]);
  });
});

describe("renderCallbackResponse", () => {
  it("updates the clicker's card and puts the toast in private data (E.5 shape)", () => {
    const r = renderCallbackResponse({ toast: { kind: "success", text: "已认领" }, card: sample }) as any;
    expect(r.cardUpdateOptions).toEqual({ updateCardDataByKey: true, updatePrivateDataByKey: true });
    expect(r.cardData.cardParamMap.headerTitle).toBe(sample.header.title);
    expect(r.userPrivateData).toEqual({ cardParamMap: { notice: "已认领", noticeKind: "success" } });
  });

  it("without a card only the notice changes", () => {
    const r = renderCallbackResponse({ toast: { kind: "error", text: "无权限" } }) as any;
    expect(r.cardData).toBeUndefined();
    expect(r.userPrivateData.cardParamMap.noticeKind).toBe("error");
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
    for (const c of [`/claim ${T}`, `/reject ${T} <原因>`, `/priority ${T} <紧急|高>`, `/reassign ${T} @处理人`, `/resolve ${T} <处理结果>`]) expect(text).toContain(c);
    expect(text).toContain("@张三"); // OpenAPI cannot @: names, not ids
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
      blocks: [{ type: "markdown", text: "很长的描述".repeat(3000) }, { type: "actions", actions: [{ type: "button", label: "认领", value: v("claim") }] }],
      summary: "大工单",
    };
    const m = renderRobotMessage(big);
    expect(robotMessageViolations(m)).toEqual([]);
    expect(m.msgParam.text).toContain(`/claim ${T}`);
  });

  it("strips what robot markdown does not support (tables, fences, font tags)", () => {
    const card: Card = {
      header: { title: "Ticket", color: "blue" },
      blocks: [{ type: "markdown", text: "| a | b |\n```\ncode\n```\n<font color=red>x</font>" }, { type: "divider" }],
      summary: "Ticket",
    };
    const m = renderRobotMessage(card);
    expect(robotMessageViolations(m)).toEqual([]);
    expect(m.msgParam.text).toContain("x");
  });
});
