// The page's script, served as /playground/assets/playground.js: it keeps the open chat current (long
// poll), turns clicks and form submits on cards into the platform callbacks (through /playground/api),
// and runs the tour. Plain ES2020 in a string so tsx and the production build serve it unchanged.
export const CLIENT_JS = String.raw`
(function () {
  "use strict";
  var T = JSON.parse(document.body.dataset.strings || "{}");
  var lang = document.body.dataset.lang || "zh-CN";
  var qs = new URLSearchParams(location.search);
  var state = {
    persona: qs.get("as") || localStorage.getItem("pg.persona") || "",
    chat: qs.get("chat") || localStorage.getItem("pg.chat") || "",
    rev: 0, gen: 0, replyTo: null, images: [], busy: false
  };
  var $ = function (s, r) { return (r || document).querySelector(s); };
  var $$ = function (s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); };
  var personaSel = $("#persona");

  function api(path, body) {
    return fetch("/playground/api/" + path, {
      method: body === undefined ? "GET" : "POST",
      headers: body === undefined ? {} : { "content-type": "application/json", "x-playground": "1" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (j) { if (!r.ok) throw new Error(j.message || ("HTTP " + r.status)); return j; }); });
  }

  function toast(kind, text) {
    if (!text) return;
    var el = document.createElement("div");
    el.className = "toast " + (kind || "info");
    el.textContent = text;
    $("#toasts").appendChild(el);
    setTimeout(function () { el.remove(); }, 5000);
  }

  function setPersona(id) {
    if (!Array.prototype.some.call(personaSel.options, function (o) { return o.value === id; })) id = personaSel.options[0].value;
    state.persona = id;
    personaSel.value = id;
    localStorage.setItem("pg.persona", id);
    document.cookie = "pg_persona=" + encodeURIComponent(id) + "; path=/playground; SameSite=Lax";
    refresh();
  }

  function chatButton(id) { return $$(".chat-item").filter(function (b) { return b.dataset.chat === id; })[0]; }

  function setChat(id) {
    state.chat = id;
    localStorage.setItem("pg.chat", id);
    state.replyTo = null;
    $("#replying").hidden = true;
    $("#chats").classList.remove("open");
    refresh();
  }

  function markChat() {
    var b = chatButton(state.chat);
    if (!b) { var first = $(".chat-item"); if (first) { state.chat = first.dataset.chat; b = first; } }
    $$(".chat-item").forEach(function (x) { x.classList.toggle("active", x === b); });
    $("#chat-title").textContent = b ? $(".plat", b).textContent + " · " + $(".cname", b).textContent : "";
    state.platform = b ? b.dataset.platform : "feishu";
  }

  function refresh() { markChat(); state.rev = 0; state.gen++; $("#messages").innerHTML = ""; poll(state.gen); }

  function apply(v) {
    $("#chats").innerHTML = v.chats;
    $("#clock").innerHTML = v.clock;
    markChat();
    var box = $("#messages");
    var atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    v.messages.forEach(function (m) {
      var old = document.getElementById("m-" + m.id);
      var tmp = document.createElement("div");
      tmp.innerHTML = m.html;
      var el = tmp.firstElementChild;
      if (old) { keepTyping(old, el); old.replaceWith(el); } else box.appendChild(el);
    });
    // Keep the server's order (a chat only grows, but be safe).
    v.order.forEach(function (id) { var el = document.getElementById("m-" + id); if (el) box.appendChild(el); });
    var empty = $(".empty", box);
    if (!v.order.length && !empty) { var p = document.createElement("p"); p.className = "empty"; p.textContent = T.empty; box.appendChild(p); }
    if (v.order.length && empty) empty.remove();
    if (atBottom || state.rev === 0) box.scrollTop = box.scrollHeight;
    state.rev = v.rev;
    document.body.dataset.rev = String(v.rev);
  }

  /** A card redrawn while someone types in it keeps what they typed (the clients do too). */
  function keepTyping(from, to) {
    $$("textarea, input[type=text]", from).forEach(function (i) {
      if (!i.value) return;
      var sel = i.name ? "[name='" + i.name + "']" : i.dataset.local ? "[data-local='" + i.dataset.local + "']" : null;
      var form = i.closest("[data-form]");
      var scope = form ? $("[data-form='" + form.dataset.form + "']", to) : to;
      var twin = sel && scope ? $(sel, scope) : null;
      if (twin && !twin.value) { twin.value = i.value; if (document.activeElement === i) setTimeout(function () { twin.focus(); }, 0); }
    });
  }

  function poll(gen) {
    var url = "view?chat=" + encodeURIComponent(state.chat) + "&as=" + encodeURIComponent(state.persona) + "&lang=" + lang + "&since=" + state.rev;
    api(url).then(function (v) {
      if (gen !== state.gen) return;
      apply(v);
      state.shown = gen; // this chat's messages are on the page
      setTimeout(function () { poll(gen); }, 50);
    }, function () { if (gen === state.gen) setTimeout(function () { poll(gen); }, 1500); });
  }

  function card(el) { return el.closest(".msg"); }

  function click(msgEl, body) {
    if (state.busy) return Promise.resolve();
    state.busy = true;
    $$("button,select", msgEl).forEach(function (b) { b.disabled = true; });
    body.message = msgEl.dataset.id;
    body.as = state.persona;
    // What was typed has been sent: clear it, so the redrawn card does not carry it over.
    var typed = $$("textarea, input[type=text]", msgEl).map(function (i) { var v = i.value; i.value = ""; return [i, v]; });
    var restore = function () { typed.forEach(function (x) { if (document.contains(x[0]) && !x[0].value) x[0].value = x[1]; }); };
    return api("click", body).then(function (r) {
      if (r.toast) toast(r.toast.kind, r.toast.text);
      if (r.toast && r.toast.kind === "error") restore();
    }, function (e) {
      toast("error", e.message);
      restore();
    }).then(function () {
      state.busy = false;
      $$("button,select", msgEl).forEach(function (b) { b.disabled = false; });
    });
  }

  function parse(s) { try { return JSON.parse(s || "{}"); } catch (e) { return {}; } }

  /** DingTalk 回传参数: fill the inputs (<local x>) and the select's choice. */
  function dtParams(el) {
    var p = parse(el.dataset.params);
    var scope = el.closest(".dform") || el.closest(".dcard");
    Object.keys(p).forEach(function (k) {
      var v = p[k];
      if (v && typeof v === "object" && v.$local) { var inp = $("[data-local='" + v.$local + "']", scope); p[k] = inp ? inp.value : ""; }
      else if (v && typeof v === "object" && v.$selected) p[k] = JSON.stringify({ index: Number(el.value) });
    });
    return p;
  }

  document.addEventListener("click", function (e) {
    var t = e.target.closest("button, a");
    if (!t) return;
    if (t.dataset.chat) return setChat(t.dataset.chat);
    if (t.dataset.addGroup) {
      var name = prompt(T.groupName);
      if (name) api("chats", { platform: t.dataset.addGroup, name: name }).then(function (c) { setChat(c.id); });
      return;
    }
    if (t.dataset.reply) {
      state.replyTo = t.dataset.reply;
      var q = $("#m-" + t.dataset.reply + " .bubble");
      $("#replying").hidden = false;
      $("#replying").innerHTML = "";
      $("#replying").appendChild(document.createTextNode(T.replyingTo + (q ? q.textContent.trim().slice(0, 50) : "") + " "));
      var x = document.createElement("button"); x.type = "button"; x.className = "link"; x.textContent = T.cancel;
      x.onclick = function () { state.replyTo = null; $("#replying").hidden = true; };
      $("#replying").appendChild(x);
      $("#text").focus();
      return;
    }
    if (t.dataset.raw) return showRaw(t.dataset.raw);
    if (t.dataset.ticket) return showConsole(t.dataset.ticket);
    if (t.dataset.tab) return tab(t.dataset.tab);
    if (t.id === "panel-close") { $("#panel").hidden = true; $(".layout").classList.remove("with-panel"); return; }
    if (t.id === "show-chats") { $("#chats").classList.toggle("open"); return; }
    if (t.dataset.time) {
      state.timeBusy = true;
      api("time?lang=" + lang, { op: t.dataset.time }).then(function (r) { toast("info", r.text); }, function (err) { toast("error", err.message); }).then(function () { state.timeBusy = false; });
      return;
    }
    if (t.id === "reset") {
      if (confirm(T.resetConfirm)) api("reset", {}).then(function () { refresh(); });
      return;
    }
    var m = card(t);
    if (!m) return;
    if (t.dataset.fs === "button") {
      if (t.dataset.confirm && !confirm(t.dataset.confirm)) return;
      return click(m, { tag: "button", value: parse(t.dataset.value), name: t.dataset.name });
    }
    if (t.dataset.dt !== undefined && t.tagName === "BUTTON") return click(m, { actionId: t.dataset.dt, params: dtParams(t) });
  });

  document.addEventListener("change", function (e) {
    var s = e.target;
    if (s === personaSel) return setPersona(s.value);
    var m = card(s);
    if (!m || s.tagName !== "SELECT" || !s.value) return;
    if (s.dataset.fs === "select_static" || s.dataset.fs === "select_person") return click(m, { tag: s.dataset.fs, value: parse(s.dataset.value), option: s.value });
    if (s.dataset.dt !== undefined) return click(m, { actionId: s.dataset.dt, params: dtParams(s) });
  });

  document.addEventListener("submit", function (e) {
    var f = e.target;
    e.preventDefault();
    if (f.id === "composer") return send();
    var m = card(f);
    var b = e.submitter;
    if (!m || !b) return;
    var values = {};
    $$("input[name], textarea[name], select[name]", f).forEach(function (i) { values[i.name] = i.value; });
    click(m, { tag: "button", value: parse(b.dataset.value), name: b.dataset.name, formValue: values });
  });

  function send() {
    var text = $("#text").value;
    if (!text.trim() && !state.images.length) return;
    var body = { chat: state.chat, as: state.persona, text: text, mentionBot: $("#at-bot").checked, images: state.images.slice(), replyTo: state.replyTo };
    $("#send").disabled = true;
    api("send", body).then(function () {
      $("#text").value = "";
      state.images = []; $("#attachments").innerHTML = "";
      state.replyTo = null; $("#replying").hidden = true;
    }, function (err) { toast("error", err.message); }).then(function () { $("#send").disabled = false; });
  }

  $("#text").addEventListener("keydown", function (e) { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); send(); } });
  $("#text").addEventListener("paste", function (e) {
    var items = (e.clipboardData && e.clipboardData.items) || [];
    Array.prototype.forEach.call(items, function (it) {
      if (it.kind !== "file" || it.type.indexOf("image/") !== 0) return;
      e.preventDefault();
      var r = new FileReader();
      r.onload = function () {
        api("upload", { dataUrl: r.result, platform: state.platform }).then(function (u) {
          state.images.push(u.key);
          var img = document.createElement("img"); img.src = r.result; img.alt = T.image;
          $("#attachments").appendChild(img);
        }, function (err) { toast("error", err.message); });
      };
      r.readAsDataURL(it.getAsFile());
    });
  });

  function openPanel() { $("#panel").hidden = false; $(".layout").classList.add("with-panel"); }
  function tab(name) {
    $$(".tab").forEach(function (b) { b.classList.toggle("active", b.dataset.tab === name); });
    $("#raw").hidden = name !== "raw";
    $("#console-frame").hidden = name !== "console";
  }
  function showRaw(id) {
    openPanel(); tab("raw");
    $("#raw").textContent = "…";
    api("raw/" + encodeURIComponent(id)).then(function (m) { $("#raw").textContent = JSON.stringify(m, null, 2); }, function (e) { $("#raw").textContent = e.message; });
  }
  function showConsole(number) {
    openPanel(); tab("console");
    // Signed in through the platform's web sign-in, as the persona chosen here.
    var next = "/console/tickets/" + encodeURIComponent(number);
    var src = "/console/auth/" + (state.platform === "dingtalk" ? "dingtalk" : "feishu") + "?next=" + encodeURIComponent(next);
    $("#console-frame").src = src;
    $("#console-open").href = src;
  }

  window.playground = { setPersona: setPersona, setChat: setChat, state: state, api: api };

  // ── tour: one ticket's life, step by step, done through the page like a person would ──
  function wait(cond, ms) {
    var end = Date.now() + (ms || 15000);
    return new Promise(function (res, rej) {
      (function loop() { var v = cond(); if (v) return res(v); if (Date.now() > end) return rej(new Error("timeout")); setTimeout(loop, 100); })();
    });
  }
  function personaWhere(pred) { return Array.prototype.filter.call(personaSel.options, function (o) { return pred(o.textContent, o.value); })[0]; }
  function lastTicketCard() { var cards = $$(".msg.bot .fcard"); return cards.length ? card(cards[cards.length - 1]) : null; }
  function buttonFor(msg, action) { return $$("[data-fs]", msg).filter(function (b) { return parse(b.dataset.value).action === action; })[0]; }
  function fill(msg, form, name, value) { var el = $("form[data-form='" + form + "'] [name='" + name + "']", msg); el.value = value; return $("form[data-form='" + form + "'] button[type=submit]", msg); }
  var zh = lang !== "en";
  var reporter = function () { return personaWhere(function (t) { return /反馈人|reporter/.test(t); }) || personaSel.options[0]; };
  var stranger = function () { return personaSel.options[personaSel.options.length - 1]; };
  function handlerOf(msg) {
    var text = msg.textContent;
    return personaWhere(function (t) { var name = t.split(" · ")[0]; return /处理人|handler/.test(t) && text.indexOf(name) >= 0; }) || personaWhere(function (t) { return /处理人|handler/.test(t); });
  }
  var ticketMsg = null;
  var ticketEl = function () { return $("#m-" + ticketMsg); };
  // Each step waits until what it did has happened (the click answered, the card redrawn) before the next
  // is offered: a click made while another is in flight is dropped (state.busy), and a form found on the
  // card before its redraw carries the old version.
  var settled = function (done) { return wait(function () { return !state.busy && !state.timeBusy && done(); }); };
  var cardHas = function (sel) { return function () { var x = ticketEl(); return x && $(sel, x) && x; }; };
  var cardLacks = function (sel) { return function () { var x = ticketEl(); return x && !$(sel, x); }; };
  var newCard = function (before) { return function () { var c = lastTicketCard(); return c && before.indexOf(c.dataset.id) < 0 && c; }; };
  var cardIds = function () { return $$(".msg.bot .fcard").map(function (c) { return card(c).dataset.id; }); };
  var steps = [
    [zh ? "客服小美在飞书群里 @ChatDesk 转述客户的话" : "The reporter @mentions ChatDesk in the Feishu group with the customer's words", function () {
      setPersona(reporter().value);
      // The chat list comes with the first view: a click right after the page opened finds it empty.
      return wait(function () { return $$(".chat-item").filter(function (b) { return b.dataset.platform === "feishu"; })[0]; }).then(function (g) {
        setChat(g.dataset.chat);
        return wait(function () { return state.shown === state.gen; });
      }).then(function () {
        var before = cardIds();
        $("#at-bot").checked = true;
        $("#text").value = zh ? "客户华为反馈：导出报表一直转圈，无法下载 #紧急" : "Customer Huawei: the report export keeps spinning and never downloads #urgent";
        send();
        return wait(newCard(before));
      }).then(function (m) { ticketMsg = m.dataset.id; });
    }],
    [zh ? "不在工作流里的路人点「认领」：被拒绝" : "A stranger clicks Claim: refused", function () {
      setPersona(stranger().value);
      return settled(function () { var m = ticketEl(); return m && buttonFor(m, "claim"); }).then(function (b) { b.click(); return settled(function () { return true; }); });
    }],
    [zh ? "处理人认领工单：卡片原地更新" : "The handler claims it: the card updates in place", function () {
      setPersona(handlerOf(ticketEl()).value);
      return settled(function () { var x = ticketEl(); return x && buttonFor(x, "claim"); }).then(function (b) { b.click(); return settled(cardHas("form[data-form='progress_form']")); });
    }],
    [zh ? "处理人提交进展" : "The handler posts progress", function () {
      var text = zh ? "已联系客户，正在排查导出服务" : "Called the customer, looking at the export service";
      return settled(cardHas("form[data-form='progress_form']")).then(function (x) {
        fill(x, "progress_form", "text", text).click();
        return settled(function () { var y = ticketEl(); return y && y.textContent.indexOf(text) >= 0; });
      });
    }],
    [zh ? "处理人标记已解决" : "The handler resolves it", function () {
      return settled(cardHas("form[data-form='resolve_form']")).then(function (x) {
        fill(x, "resolve_form", "result", zh ? "已修复导出超时，客户可以正常下载" : "Fixed the export timeout; downloads work again").click();
        return settled(cardHas("form[data-form='confirm_form']"));
      });
    }],
    [zh ? "小美确认解决并给 5 星" : "The reporter confirms with 5 stars", function () {
      setPersona(reporter().value);
      return settled(cardHas("form[data-form='confirm_form']")).then(function (x) { fill(x, "confirm_form", "score", "5").click(); return settled(cardLacks("form[data-form='confirm_form']")); });
    }],
    [zh ? "再来一条反馈，然后快进到下一个提醒" : "Another ticket, then fast-forward to its next reminder", function () {
      var before = cardIds();
      $("#text").value = zh ? "客户说系统报错无法登录" : "The customer says login fails with an error";
      send();
      return wait(newCard(before)).then(function () { $("[data-time=reminder]").click(); return settled(function () { return true; }); });
    }],
    [zh ? "发送今天的日报：组长在私聊里收到" : "Send today's digest: the lead gets it in a direct chat", function () {
      $("[data-time=digest]").click();
      var lead = personaWhere(function (t) { return /组长|lead/.test(t); });
      if (lead) setPersona(lead.value);
      var who = lead ? lead.value : state.persona;
      return settled(function () {
        var list = $("#chats [data-viewer]");
        return list && list.dataset.viewer === who && $$(".chat-item", list).filter(function (b) { return b.dataset.platform === "feishu" && /私聊|Direct/.test(b.textContent); })[0];
      }).then(function (b) { setChat(b.dataset.chat); });
    }]
  ];
  function tour() {
    var bar = $("#tour-bar"); var i = 0;
    bar.hidden = false;
    function show() {
      bar.innerHTML = "";
      var b = document.createElement("b"); b.textContent = (i < steps.length ? (i + 1) + "/" + steps.length + " " + steps[i][0] : T.tourDone);
      bar.appendChild(b);
      if (i < steps.length) {
        var n = document.createElement("button"); n.type = "button"; n.className = "primary"; n.textContent = T.tourNext; n.id = "tour-next";
        n.onclick = function () { n.disabled = true; Promise.resolve(steps[i][1]()).catch(function (e) { toast("error", e.message); }).then(function () { i++; show(); }); };
        bar.appendChild(n);
      }
    }
    show();
  }

  setPersona(state.persona);
  if (qs.get("tour")) tour();
})();
`;
