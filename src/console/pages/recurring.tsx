// 高频问题 by similar text on the report page: each group's most typical title, its count, the previous
// period's count, and links to its newest tickets.
import { fmt } from "../../../cards/i18n/index.js";
import type { RecurringGroup } from "../../core/recurring.js";
import type { Texts } from "../i18n.js";
import { CONSOLE_BASE } from "../settings.js";

export function RecurringSection(p: { groups: RecurringGroup[]; r: Texts["t"]["reports"] }) {
  const { groups, r } = p;
  return (
    <section class="card chart" id="chart-recurring">
      <h2>{r.recurring}</h2>
      {groups.length ? (
        <table class="small">
          <tbody>
            {groups.map((g) => (
              <tr>
                <td>{g.title}</td>
                <td>{fmt(r.recurringLine, { count: g.count, previous: g.previous })}</td>
                <td>
                  {g.numbers.slice(0, 3).map((n) => (
                    <a href={`${CONSOLE_BASE}/tickets/${n}`} style="margin-right:6px">
                      {n}
                    </a>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{r.noData}</p>
      )}
    </section>
  );
}
