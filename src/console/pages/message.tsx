// A page with one message: errors (401/403/404/…) and notices, with a way back.
import { CONSOLE_BASE } from "../settings.js";
import { Layout, type PageContext } from "./layout.js";

export function MessagePage(p: { page: PageContext; title: string; message: string; signIn?: boolean }) {
  return (
    <Layout page={p.page} title={p.title}>
      <section class="card login">
        <h1>{p.title}</h1>
        <p id="message">{p.message}</p>
        <p>
          {p.signIn ? (
            <a class="btn primary" href={`${CONSOLE_BASE}/login`}>
              {p.page.tx.t.login.submit}
            </a>
          ) : (
            <a class="btn" href={`${CONSOLE_BASE}/tickets`}>
              {p.page.tx.t.nav.tickets}
            </a>
          )}
        </p>
      </section>
    </Layout>
  );
}
