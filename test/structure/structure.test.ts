// The shape of the code, kept as the guide describes it: no import circles (type-only imports count), a core
// that imports nothing outside itself but its libraries, use cases that never import the scheduler or an
// adapter, and functions that fit on a screen. Imports are read by dependency-cruiser, function lengths by
// the TypeScript parser.
import fs from "node:fs";
import path from "node:path";
import { cruise, type ICruiseResult, type IForbiddenRuleType } from "dependency-cruiser";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

const RULES: IForbiddenRuleType[] = [
  { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
  {
    name: "core-is-pure",
    comment: "src/core owns its types and imports only itself and its libraries (no config, store, app, adapters…)",
    severity: "error",
    from: { path: "^src/core/" },
    to: { path: "^(src/(?!core/)|cards/)" },
  },
  {
    name: "use-cases-stay-use-cases",
    comment: "src/app never imports the scheduler, an adapter, the console or the HTTP layer",
    severity: "error",
    from: { path: "^src/app/" },
    to: { path: "^src/(scheduler|adapter|console|http)/" },
  },
];

describe("imports", () => {
  it("have no circles, a pure core, and use cases free of the scheduler and the adapters", async () => {
    const result = await cruise(["src", "cards"], {
      baseDir: ROOT,
      tsPreCompilationDeps: true,
      exclude: { path: "^src/generated/" },
      doNotFollow: { path: "node_modules" },
      ruleSet: { forbidden: RULES },
      validate: true,
    });
    const out = result.output as ICruiseResult;
    const violations = out.summary.violations.map((v) =>
      v.rule.name === "no-circular" ? `${v.rule.name}: ${[v.from, ...(v.cycle ?? []).map((c) => c.name)].join(" → ")}` : `${v.rule.name}: ${v.from} → ${v.to}`,
    );
    expect(violations).toEqual([]);
    expect(out.summary.totalCruised).toBeGreaterThan(100); // it did read the sources
  });
});

/**
 * Functions known to be longer than a screen, with the length they may not grow past. The list only shrinks:
 * split one, lower or remove its entry. (Page components and card builders are mostly markup.)
 */
const KNOWN_LONG: Record<string, number> = {
  "src/console/pages/reports.tsx ReportsPage": 254,
  "src/core/calendar.ts createCalendar": 250,
  "src/core/holiday-data.ts resolveDays": 85,
  "src/console/pages/actions.tsx Actions": 164,
  "src/adapter/dingtalk/sender.ts createDingTalkSender": 144,
  "src/console/pages/list.tsx ListPage": 145,
  "src/console/pages/detail.tsx DetailPage": 124,
  "src/console/routes/auth.tsx authRoutes": 126,
  "src/console/pages/actions.tsx render": 107,
  "src/core/classify.ts classify": 101,
  "src/adapter/dingtalk/render-card.ts renderTemplateData": 100,
  "cards/ticket.ts actionBlocks": 97,
  "cards/ticket.ts ticketCard": 95,
  "src/console/export/report-tables.ts reportTables": 82,
  "src/console/routes/tickets.tsx ticketRoutes": 81,
  "src/playground/peer/dingtalk.ts dingtalkPeer": 190,
  "src/playground/deliver.ts createDeliverer": 175,
  "src/playground/routes.tsx playgroundRoutes": 165,
  "src/playground/peer/feishu.ts feishuPeer": 159,
  "src/playground/page/layout.tsx PlaygroundPage": 93,
  "src/playground/render/dingtalk.tsx NodeView": 87,
};
const MAX_LINES = 80;

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== "generated") sources(rel, out);
    } else if (/\.tsx?$/.test(e.name)) out.push(rel);
  }
  return out;
}

function functionLengths(file: string): { name: string; lines: number }[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), "utf8"), ts.ScriptTarget.Latest, true);
  const found: { name: string; lines: number }[] = [];
  const nameOf = (n: ts.Node): string => {
    const named = (n as { name?: ts.Node }).name;
    if (named) return named.getText(sf);
    const p = n.parent;
    if (ts.isVariableDeclaration(p) || ts.isPropertyAssignment(p)) return p.name.getText(sf);
    return "<anonymous>";
  };
  const visit = (n: ts.Node) => {
    if (ts.isFunctionLike(n) && (n as { body?: ts.Node }).body) {
      const lines = sf.getLineAndCharacterOfPosition(n.end).line - sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      if (lines > MAX_LINES) found.push({ name: nameOf(n), lines });
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe("function length", () => {
  it(`no new function over ${MAX_LINES} lines, and the known long ones do not grow`, () => {
    const problems: string[] = [];
    for (const file of [...sources("src"), ...sources("cards")]) {
      for (const f of functionLengths(file)) {
        const key = `${file} ${f.name}`;
        const allowed = KNOWN_LONG[key];
        if (allowed === undefined) problems.push(`${key}: ${f.lines} lines (split it: at most ${MAX_LINES})`);
        else if (f.lines > allowed) problems.push(`${key}: ${f.lines} lines, was ${allowed} (split it rather than grow it)`);
      }
    }
    expect(problems).toEqual([]);
  });
});
