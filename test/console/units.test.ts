// The console's pure parts: CSV writing, sheet names, chart scales, safe redirects, signed cookies.
import { describe, expect, it } from "vitest";
import { hmacSigner } from "../../src/console/crypto.js";
import { csvCell, csvStream, tablesCsv } from "../../src/console/export/csv.js";
import { sheetNames } from "../../src/console/export/xlsx.js";
import { clip, niceScale } from "../../src/console/pages/charts.js";
import { isSessionRef, safeNext, signedCodec, type SessionRef } from "../../src/console/session.js";
import { parseCsv } from "./support.js";

describe("CSV", () => {
  it("quotes what needs quoting and defuses formulas in text, not in numbers", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('say "hi", twice')).toBe('"say ""hi"", twice"');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell(null)).toBe("");
    for (const evil of ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"]) expect(csvCell(evil).replace(/^"/, "")).toMatch(/^'/);
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell(-3)).toBe("-3");
    expect(csvCell(2.5)).toBe("2.5");
    expect(csvCell(Number.NaN)).toBe("");
  });

  it("several tables in one file, each under its title, with a BOM once", () => {
    const text = tablesCsv([
      { name: "概览", columns: [{ header: "指标" }, { header: "数值" }], rows: [["新增", 3]] },
      { name: "趋势", columns: [{ header: "日期" }, { header: "数量" }], rows: [["2025-06-01", 1], ["2025-06-02", 0]] },
    ]);
    expect(text.startsWith("\uFEFF概览\r\n")).toBe(true);
    expect(text.match(/\uFEFF/g)).toHaveLength(1);
    expect(parseCsv(text.slice(1))).toEqual([["概览"], ["指标", "数值"], ["新增", "3"], [""], ["趋势"], ["日期", "数量"], ["2025-06-01", "1"], ["2025-06-02", "0"]]);
  });

  it("streams any number of rows, header first", async () => {
    async function* rows() {
      for (let i = 0; i < 450; i++) yield [`FB${i}`, i];
    }
    const text = await new Response(csvStream(["编号", "n"], rows())).arrayBuffer().then((b) => new TextDecoder("utf-8", { ignoreBOM: true }).decode(b));
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const parsed = parseCsv(text.slice(1));
    expect(parsed).toHaveLength(451);
    expect(parsed[0]).toEqual(["编号", "n"]);
    expect(parsed[450]).toEqual(["FB449", "449"]);
  });
});

it("sheet names fit Excel: ≤ 31 chars, no []:*?/\\, unique ignoring case", () => {
  expect(sheetNames(["工单", "a/b:c", "x".repeat(40), "Sheet", "sheet", ""])).toEqual(["工单", "a b c", "x".repeat(31), "Sheet", "sheet 2", "Sheet 3"]);
});

it("chart scales are round and contain the maximum", () => {
  expect(niceScale(0)).toEqual({ max: 1, step: 1 });
  expect(niceScale(2)).toEqual({ max: 2, step: 1 });
  expect(niceScale(3)).toEqual({ max: 3, step: 1 });
  expect(niceScale(17)).toEqual({ max: 20, step: 5 });
  expect(niceScale(230)).toEqual({ max: 300, step: 100 });
  for (const m of [1, 7, 9, 11, 49, 101, 999]) {
    const s = niceScale(m);
    expect(s.max).toBeGreaterThanOrEqual(m);
    expect(s.max / s.step).toBeLessThanOrEqual(5);
  }
});

it("chart labels are cut by their width: Chinese characters count about double", () => {
  expect(clip("Satisfied", 15)).toBe("Satisfied");
  expect(clip("Customer Service Supervisors", 15)).toBe("Customer Servic…");
  expect(clip("客服部主管", 15)).toBe("客服部主管");
  expect(clip("问题反馈 / 数据同步失败", 15)).toBe("问题反馈 / 数据…");
});

it("after sign-in only console pages are returned to", () => {
  expect(safeNext("/console/tickets?status=open", "/console")).toBe("/console/tickets?status=open");
  for (const bad of [undefined, "", "https://x.example", "//x.example", "/console/../x", "/console/%2e%2e/x", "/\\x.example", "/console/login", "/console/auth/feishu/callback", "/other"]) {
    expect(safeNext(bad, "/console"), String(bad)).toBe("/console/tickets");
  }
});

describe("signed cookies", () => {
  const codec = signedCodec(hmacSigner("k".repeat(32)), "session", isSessionRef);
  const s: SessionRef = { sid: "a".repeat(32), exp: 2_000 };

  it("round-trip until expiry", async () => {
    const raw = await codec.encode(s);
    expect(await codec.decode(raw, 1_999)).toEqual(s);
    expect(await codec.decode(raw, 2_000)).toBeUndefined();
  });

  it("reject another key, another purpose, and any edit", async () => {
    const raw = await codec.encode(s);
    expect(await signedCodec(hmacSigner("j".repeat(32)), "session", isSessionRef).decode(raw, 0)).toBeUndefined();
    expect(await signedCodec(hmacSigner("k".repeat(32)), "oauth-state", isSessionRef).decode(raw, 0)).toBeUndefined();
    const [payload, sig] = raw.split(".");
    const edited = Buffer.from(JSON.stringify({ ...s, exp: 9_999 })).toString("base64url");
    expect(await codec.decode(`${edited}.${sig}`, 0)).toBeUndefined();
    expect(await codec.decode(`${payload}.${sig!.slice(0, -1)}A`, 0)).toBeUndefined();
    expect(await codec.decode("garbage", 0)).toBeUndefined();
  });
});
