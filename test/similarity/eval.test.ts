import { describe, expect, it } from "vitest";
import { parseWorkflowConfig } from "../../src/config/load.js";
import { cosine, idfOf, mostSimilar, terms, weigh } from "../../src/core/similarity.js";
import { evaluate } from "./evaluate.js";
import { PAIRS } from "./pairs.js";

// Floors for the shipped threshold on the labelled set; a change to the tokens or weights that loses
// duplicates or raises false alarms fails here.
const PRECISION_FLOOR = 0.9;
const RECALL_FLOOR = 0.8;

describe("duplicate test set", () => {
  const threshold = parseWorkflowConfig().duplicates.threshold;
  it("has both kinds of pairs", () => {
    expect(PAIRS.filter((p) => p.dup).length).toBeGreaterThanOrEqual(25);
    expect(PAIRS.filter((p) => !p.dup).length).toBeGreaterThanOrEqual(25);
  });
  it(`keeps precision ≥ ${PRECISION_FLOOR} and recall ≥ ${RECALL_FLOOR} at the shipped threshold`, () => {
    const e = evaluate(threshold);
    expect(e.precision).toBeGreaterThanOrEqual(PRECISION_FLOOR);
    expect(e.recall).toBeGreaterThanOrEqual(RECALL_FLOOR);
  });
});

describe("similarity core", () => {
  it("reads Chinese as character bigrams and Latin words whole, without the generic words", () => {
    const t = terms("客户反馈：APP v3.2 打开闪退！");
    expect([...t.keys()].sort()).toEqual(["app", "v3.2", "打开", "开闪", "闪退"].sort());
  });
  it("ignores ticket numbers", () => {
    expect(terms("#FB20240521001 导出失败").has("fb20240521001")).toBe(false);
  });
  it("scores identical text 1 and unrelated text 0", () => {
    const idf = idfOf([terms("导出报表失败"), terms("发票抬头错误")]);
    const a = weigh(terms("导出报表失败"), idf);
    expect(cosine(a, a)).toBeCloseTo(1, 6);
    expect(cosine(a, weigh(terms("发票抬头错误"), idf))).toBe(0);
  });
  it("ranks candidates best first and drops those under the threshold", () => {
    const r = mostSimilar("报表导出一直转圈", [
      { key: 1, text: "发票抬头开错了" },
      { key: 2, text: "导出报表一直转圈，等了十分钟" },
      { key: 3, text: "客户说报表导出时页面报错" },
    ], 0.2);
    expect(r.map((m) => m.key)).toEqual([2, 3]);
  });
});
