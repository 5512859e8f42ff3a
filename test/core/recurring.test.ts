import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { recurringProblems, type ProblemText, type RecurringGroup } from "../../src/core/recurring.js";
import { idfOf, terms, weigh, type Features } from "../../src/core/similarity.js";

/**
 * The grouping written the plain way: one Map per text and per centre, every text compared with every
 * centre. recurringProblems interns terms and scores all centres through postings; it must give exactly
 * these groups (same members, same titles, same previous counts), only faster.
 */
function reference(current: readonly ProblemText[], previous: readonly ProblemText[], threshold: number, limit: number): RecurringGroup[] {
  const counts = [...current, ...previous].map((t) => terms(`${t.title}\n${t.text}`));
  const idf = idfOf(counts);
  const vs = counts.map((c) => weigh(c, idf));
  type C = { centre: Map<string, number>; norm2: number; members: { t: ProblemText; v: Features }[]; previous: number };
  const clusters: C[] = [];
  const cos = (v: Features, c: C) => {
    if (!(c.norm2 > 0)) return 0;
    let dot = 0;
    for (const [k, x] of v) dot += x * (c.centre.get(k) ?? 0);
    return dot / Math.sqrt(c.norm2);
  };
  const add = (c: C, v: Features) => {
    for (const [k, x] of v) {
      const old = c.centre.get(k) ?? 0;
      c.centre.set(k, old + x);
      c.norm2 += (old + x) * (old + x) - old * old;
    }
  };
  const best = (v: Features) => {
    let at = -1;
    let score = threshold;
    clusters.forEach((c, i) => {
      const s = cos(v, c);
      if (s >= score) [at, score] = [i, s];
    });
    return at;
  };
  current.forEach((t, i) => {
    const v = vs[i]!;
    if (!v.size) return;
    const at = best(v);
    const c = at >= 0 ? clusters[at]! : clusters[clusters.push({ centre: new Map(), norm2: 0, members: [], previous: 0 }) - 1]!;
    c.members.push({ t, v });
    add(c, v);
  });
  previous.forEach((_, j) => {
    const at = best(vs[current.length + j]!);
    if (at >= 0) clusters[at]!.previous++;
  });
  return clusters
    .sort((a, b) => b.members.length - a.members.length || b.previous - a.previous)
    .slice(0, limit)
    .map((c) => {
      const typical = c.members.reduce((x, y) => (cos(y.v, c) > cos(x.v, c) ? y : x));
      return { title: typical.t.title, count: c.members.length, previous: c.previous, numbers: c.members.map((m) => m.t.number) };
    });
}

const PHRASES = ["登录后一直白屏", "验证码收不到", "发票怎么开", "订单同步失败", "打印模板缺字段", "客户公司", "希望尽快处理", "系统报错", "无法登录", "导出 Excel 乱码", "CRM 数据不同步", "VIP 客户", "已截图", "退款没到账", "小程序闪退", "iOS 17"];

const texts = (prefix: string) =>
  fc.array(
    fc.record({ title: fc.constantFrom(...PHRASES), parts: fc.array(fc.constantFrom(...PHRASES, "，", "。", "的", "123"), { maxLength: 8 }) }),
    { maxLength: 60 },
  ).map((xs) => xs.map((x, i): ProblemText => ({ number: `${prefix}${String(i).padStart(3, "0")}`, title: x.title, text: x.parts.join("") })));

describe("recurring problems", () => {
  it("groups tickets by what they say, names each group by its most typical title, and counts the previous period", () => {
    const t = (number: string, title: string, text: string): ProblemText => ({ number, title, text });
    const groups = recurringProblems(
      [
        t("FB003", "登录后台一直提示密码错误", "客户说登录后台一直提示密码错误，重置了也不行"),
        t("FB002", "后台登录密码错误", "登录后台提示密码错误"),
        t("FB001", "发票怎么开", "请问增值税专用发票怎么开"),
      ],
      [t("FB000", "密码错误登录不了", "后台登录提示密码错误")],
      0.3,
      3,
    );
    expect(groups).toEqual([
      { title: "后台登录密码错误", count: 2, previous: 1, numbers: ["FB003", "FB002"] },
      { title: "发票怎么开", count: 1, previous: 0, numbers: ["FB001"] },
    ]);
  });

  it("gives exactly the groups of the plain every-text-against-every-centre grouping", () => {
    fc.assert(
      fc.property(texts("C"), texts("P"), fc.constantFrom(0.05, 0.2, 0.3, 0.5, 0.8, 1), fc.constantFrom(3, 1000), (cur, prev, threshold, limit) => {
        expect(recurringProblems(cur, prev, threshold, limit)).toEqual(reference(cur, prev, threshold, limit));
      }),
      { numRuns: 300 },
    );
  });
});
