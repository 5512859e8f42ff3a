// The message shortcut (Feishu 消息快捷操作): Feishu opens this page for the chosen message with
// ?from=message_action (PC) or required_launch_ability=message_action (mobile) and
// bdp_launch_query={"__trigger_id__": …}. The script signs the JSAPI, asks getBlockActionSourceDetail
// which message it was, and posts only its id: the server reads the message itself
// (https://open.feishu.cn/document/uYjL24iN/uUzMuUzMuUzM/getblockactionsourcedetail).
import { fmt } from "../../../cards/i18n/index.js";
import { CSRF_FIELD } from "../csrf.js";
import { FEISHU_H5SDK_URL } from "../feishu-jssdk.js";
import { CONSOLE_BASE } from "../settings.js";
import { Layout, type PageContext } from "./layout.js";
import { js } from "./script-literal.js";

export const SHORTCUT_PATH = `${CONSOLE_BASE}/shortcut`;

const readScript = (p: PageContext) => {
  const t = p.tx.t.shortcut;
  return `(function(){
var s=document.getElementById("shortcut-status");
function fail(e){s.textContent=${js(t.failed)}+(e&&(e.errMsg||e.errorMessage||e.message)||JSON.stringify(e));s.className="flash err";}
var q=new URLSearchParams(location.search),code="";
try{code=JSON.parse(q.get("bdp_launch_query")||"{}").__trigger_id__||"";}catch(e){}
if(!code){s.textContent=${js(t.noTrigger)};return;}
function pick(r){var m=r&&r.content&&r.content.messages&&r.content.messages[0];
if(!m||!m.openMessageId){s.textContent=${js(t.noMessage)};return;}
document.getElementById("shortcut-message").value=m.openMessageId;document.getElementById("shortcut-form").submit();}
function run(){fetch(${js(`${SHORTCUT_PATH}/jssdk`)},{method:"POST",credentials:"same-origin",
headers:{"content-type":"application/json","x-csrf-token":${js(p.csrf ?? "")}},body:JSON.stringify({url:location.href.split("#")[0]})})
.then(function(r){if(!r.ok)throw new Error("HTTP "+r.status);return r.json();})
.then(function(c){h5sdk.error(fail);
h5sdk.config({appId:c.appId,timestamp:c.timestamp,nonceStr:c.nonceStr,signature:c.signature,jsApiList:["getBlockActionSourceDetail"],onFail:fail});
h5sdk.ready(function(){tt.getBlockActionSourceDetail({triggerCode:code,success:pick,fail:fail});});})
.catch(fail);}
if(window.h5sdk)run();else{var x=document.createElement("script");x.src=${js(FEISHU_H5SDK_URL)};x.onload=run;x.onerror=fail;document.head.appendChild(x);}
})();`;
};

/** The page Feishu opens: reads the chosen message's id and hands it to the server. */
export function ShortcutPage(p: { page: PageContext }) {
  const t = p.page.tx.t.shortcut;
  return (
    <Layout page={p.page} title={t.title}>
      <section class="card login">
        <h1>{t.title}</h1>
        <p id="shortcut-status" class="muted">
          {t.reading}
        </p>
        <form id="shortcut-form" method="post" action={SHORTCUT_PATH}>
          <input type="hidden" name={CSRF_FIELD} value={p.page.csrf ?? ""} />
          <input type="hidden" id="shortcut-message" name="messageId" value="" />
        </form>
      </section>
      <script nonce={p.page.nonce} dangerouslySetInnerHTML={{ __html: readScript(p.page) }} />
    </Layout>
  );
}

export type ShortcutOutcome =
  | { kind: "pending" }
  | { kind: "ticket"; number: string; title: string; already: boolean }
  | { kind: "skipped" }
  | { kind: "retrying" | "gaveUp"; error: string };

/** Where the request stands: a ticket (with its link), still working (reloads itself), or why not. */
export function ShortcutStatusPage(p: { page: PageContext; outcome: ShortcutOutcome }) {
  const t = p.page.tx.t.shortcut;
  const o = p.outcome;
  const text =
    o.kind === "ticket"
      ? fmt(o.already ? t.already : t.done, { number: o.number, title: o.title })
      : o.kind === "pending"
        ? t.pending
        : o.kind === "skipped"
          ? t.skipped
          : fmt(o.kind === "retrying" ? t.retrying : t.gaveUp, { error: o.error });
  const waiting = o.kind === "pending" || o.kind === "retrying";
  return (
    <Layout page={p.page} title={t.title}>
      <section class="card login">
        <h1>{t.title}</h1>
        <p id="shortcut-outcome" data-kind={o.kind} class={o.kind === "ticket" ? "flash ok" : o.kind === "pending" ? "muted" : "flash err"}>
          {text}
        </p>
        {o.kind === "ticket" && (
          <>
            <p class="muted">{t.cardInGroup}</p>
            <p>
              <a class="btn primary" id="shortcut-open" href={`${CONSOLE_BASE}/tickets/${encodeURIComponent(o.number)}`}>
                {t.open}
              </a>
            </p>
          </>
        )}
      </section>
      {waiting && <script nonce={p.page.nonce} dangerouslySetInnerHTML={{ __html: "setTimeout(function(){location.reload();},1500);" }} />}
    </Layout>
  );
}
