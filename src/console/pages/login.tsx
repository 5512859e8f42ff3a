// Sign-in: Feishu / DingTalk buttons, the admin token form for first set-up, and inside the
// platforms' own browsers the automatic 免登 (Feishu: the authorize redirect passes straight
// through; DingTalk: the JSAPI hands us a code for the signed-in user).
import { fmt } from "../../../cards/i18n/index.js";
import { CSRF_FIELD } from "../csrf.js";
import { DINGTALK_JSAPI_URL } from "../oauth/dingtalk.js";
import { CONSOLE_BASE } from "../settings.js";
import { Flash, Layout, type PageContext } from "./layout.js";
import { js } from "./script-literal.js";

export type InApp = { platform: "feishu"; href: string } | { platform: "dingtalk"; corpId: string; clientId: string; state: string; next: string };

export interface LoginPageProps {
  page: PageContext;
  next: string;
  feishu: boolean;
  dingtalk: boolean;
  admin: boolean;
  /** CSRF token of the admin form (bound to the login nonce cookie). */
  loginCsrf?: string;
  error?: string;
  inApp?: InApp;
}


// Runs only in the DingTalk client: ask for a 免登 code and hand it to the server with our state.
const dingtalkScript = (o: Extract<InApp, { platform: "dingtalk" }>) => `(function(){
var s=document.getElementById("inapp-status");
function fail(e){s.textContent=${js("✗ ")}+(e&&(e.errorMessage||e.message)||JSON.stringify(e));}
function go(){dd.ready(function(){dd.runtime.permission.requestAuthCode({corpId:${js(o.corpId)},clientId:${js(o.clientId)},
onSuccess:function(r){location.replace(${js(`${CONSOLE_BASE}/auth/dingtalk/inapp?state=${encodeURIComponent(o.state)}&next=${encodeURIComponent(o.next)}&code=`)}+encodeURIComponent(r.code));},
onFail:fail});});if(dd.error)dd.error(fail);}
if(window.dd)go();else{var t=document.createElement("script");t.src=${js(DINGTALK_JSAPI_URL)};t.onload=go;t.onerror=fail;document.head.appendChild(t);}
})();`;

export function LoginPage(p: LoginPageProps) {
  const { t } = p.page.tx;
  const q = `?next=${encodeURIComponent(p.next)}`;
  const none = !p.feishu && !p.dingtalk;
  return (
    <Layout page={p.page} title={t.login.title}>
      <div class="login">
        <section class="card">
          <h1>{t.login.title}</h1>
          <Flash error={p.error} />
          {p.inApp && (
            <p id="inapp-status" class="muted">
              {fmt(t.login.inApp, { platform: p.inApp.platform === "feishu" ? t.login.feishu : t.login.dingtalk })}
            </p>
          )}
          <p class="muted">{none ? t.login.none : t.login.intro}</p>
          {p.feishu && (
            <a class="btn primary block" id="login-feishu" href={`${CONSOLE_BASE}/auth/feishu${q}`}>
              {t.login.feishu}
            </a>
          )}
          {p.dingtalk && (
            <a class="btn primary block" id="login-dingtalk" href={`${CONSOLE_BASE}/auth/dingtalk${q}`}>
              {t.login.dingtalk}
            </a>
          )}
        </section>
        {p.admin && p.loginCsrf && (
          <details class="card" open={none || !!p.error}>
            <summary>{t.login.adminTitle}</summary>
            <form method="post" action={`${CONSOLE_BASE}/login`} style="margin-top:10px">
              <input type="hidden" name={CSRF_FIELD} value={p.loginCsrf} />
              <input type="hidden" name="next" value={p.next} />
              <label for="admin-token">{t.login.adminToken}</label>
              <input id="admin-token" type="password" name="token" autocomplete="current-password" required />
              <button class="btn primary block" type="submit" style="margin-top:10px">
                {t.login.submit}
              </button>
            </form>
          </details>
        )}
      </div>
      {p.inApp?.platform === "feishu" && <script nonce={p.page.nonce} dangerouslySetInnerHTML={{ __html: `location.replace(${js(p.inApp.href)});` }} />}
      {p.inApp?.platform === "dingtalk" && <script nonce={p.page.nonce} dangerouslySetInnerHTML={{ __html: dingtalkScript(p.inApp) }} />}
    </Layout>
  );
}
