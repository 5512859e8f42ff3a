// The playground's stylesheet, served as /playground/assets/playground.css (a module, so the source
// and the production build serve the same bytes). Card colours follow the clients' palettes.
export const STYLE = `
*{box-sizing:border-box}
html,body{height:100%}
body{display:flex;flex-direction:column;margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1f2329;background:#f2f3f5}
button,select,input,textarea{font:inherit}
button{cursor:pointer}
.muted{color:#8f959e;font-size:12px}
.top{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between;padding:8px 12px;background:#fff;border-bottom:1px solid #dee0e3}
.brand{display:flex;flex-direction:column}
.brand .intro{max-width:520px}
.controls{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center}
.controls button,.controls select{padding:3px 8px;border:1px solid #d0d3d6;border-radius:6px;background:#fff}
.controls button.danger{color:#d83931;border-color:#f4b3af}
.controls a{color:#3370ff;text-decoration:none}
.time-btns{display:flex;flex-wrap:wrap;gap:4px}
.tour[hidden]{display:none}
.tour{padding:8px 12px;background:#fff7e8;border-bottom:1px solid #ffd591;display:flex;gap:12px;align-items:center;flex-wrap:wrap}
.tour b{color:#ad6800}
.layout{display:grid;grid-template-columns:220px minmax(0,1fr);grid-template-rows:minmax(0,1fr);flex:1;min-height:0}
.layout.with-panel{grid-template-columns:220px minmax(0,1fr) minmax(320px,42%)}
.chats{background:#fff;border-right:1px solid #dee0e3;overflow:auto;padding:8px}
.chats ul{list-style:none;margin:0 0 8px;padding:0}
.chats-head{font-weight:600;margin:4px 4px 8px}
.chat-item{display:flex;gap:6px;align-items:center;width:100%;text-align:left;border:0;background:none;padding:6px;border-radius:6px}
.chat-item.active{background:#e1eaff}
.plat{font-size:11px;padding:0 5px;border-radius:4px;color:#fff;white-space:nowrap}
.p-feishu .plat{background:#3370ff}
.p-dingtalk .plat{background:#0089ff;background:linear-gradient(90deg,#0089ff,#00b7f4)}
.add-group{display:flex;flex-direction:column;align-items:flex-start}
.link{border:0;background:none;color:#3370ff;padding:2px 4px}
.chat{display:flex;flex-direction:column;min-width:0;min-height:0}
.chat-head{padding:8px 12px;background:#fff;border-bottom:1px solid #dee0e3;font-weight:600}
#show-chats{display:none}
.messages{flex:1;overflow:auto;padding:12px}
.empty{color:#8f959e;text-align:center;margin-top:40px}
.msg{margin:0 0 14px;max-width:min(560px,100%)}
.msg.mine{margin-left:auto}
.msg .who{font-size:12px;color:#646a73;margin-bottom:2px}
.msg.mine .who{text-align:right}
.msg .name{font-weight:600}
.badge{font-size:11px;margin-left:6px;padding:0 5px;border-radius:8px;background:#eff0f1;color:#646a73}
.badge.urgent{background:#fde2e2;color:#d83931}
.badge.urgent.me{background:#d83931;color:#fff}
.bubble{background:#fff;border-radius:8px;box-shadow:0 1px 2px rgba(31,35,41,.08);overflow:hidden}
.msg.mine .bubble{background:#cce0ff}
.text{padding:8px 12px;white-space:normal;word-break:break-word}
.pic{display:block;max-width:240px;max-height:240px;margin:6px 12px}
.quote{font-size:12px;color:#646a73;border-left:3px solid #bbbfc4;padding-left:6px;margin-bottom:4px}
.hint{font-size:12px;color:#8f959e;margin-top:2px}
.acts{display:flex;gap:4px;flex-wrap:wrap}
.acts .link{font-size:12px}
.at{color:#3370ff}
.md{word-break:break-word}
.md ul{margin:2px 0;padding-left:20px}
.md blockquote{margin:2px 0;padding-left:8px;border-left:3px solid #dee0e3;color:#646a73}
.md .h{font-weight:600;font-size:15px}
.md code{background:#f2f3f5;padding:0 3px;border-radius:3px}
.small,.md.small{font-size:12px;color:#8f959e}
.c-grey,.c-gray{color:#8f959e}.c-red,.c-carmine{color:#d83931}.c-green{color:#2ea121}.c-orange{color:#de7802}.c-blue,.c-wathet,.c-indigo{color:#3370ff}.c-yellow{color:#dc9b04}.c-purple,.c-violet{color:#7f3bf5}.c-turquoise{color:#04b49c}
/* Feishu card */
.fcard{min-width:0}
.fhead{padding:10px 12px;color:#fff}
.ftitle{font-weight:600;font-size:15px}
.fsub{font-size:12px;opacity:.9}
.fhead .tags{margin-top:4px;display:flex;gap:4px;flex-wrap:wrap}
.tag{font-size:11px;padding:0 6px;border-radius:4px;background:rgba(255,255,255,.9);color:#1f2329}
.tag-red,.tag-carmine{color:#d83931}.tag-orange{color:#de7802}.tag-blue,.tag-wathet,.tag-indigo{color:#245bdb}.tag-green{color:#2ea121}.tag-turquoise{color:#04b49c}.tag-violet,.tag-purple{color:#7f3bf5}.tag-yellow{color:#dc9b04}.tag-neutral{color:#646a73}
.t-blue{background:#3370ff}.t-wathet{background:#4fa6f5}.t-turquoise{background:#10a39a}.t-green{background:#2ea121}.t-yellow{background:#d9a400}.t-orange{background:#ed7b2f}.t-red{background:#d83931}.t-carmine{background:#c7254e}.t-violet{background:#8f4ee6}.t-purple{background:#7f3bf5}.t-indigo{background:#4954e6}.t-grey{background:#8f959e}.t-default{background:#f5f6f7;color:#1f2329}
.fbody{padding:8px 12px;display:flex;flex-direction:column;gap:8px}
.fbody hr{border:0;border-top:1px solid #dee0e3;margin:0;width:100%}
.cols{display:flex;gap:12px}
.cols.flow{flex-wrap:wrap;gap:6px;align-items:center}
.col{min-width:0;display:flex;flex-direction:column;gap:6px}
.btn{display:inline-block;padding:4px 12px;border-radius:6px;border:1px solid #d0d3d6;background:#fff;color:#1f2329;text-decoration:none;font-size:13px}
.btn-primary_filled,.btn-primary{background:#3370ff;border-color:#3370ff;color:#fff}
.btn-danger{color:#d83931;border-color:#f4b3af}
.btn:disabled{opacity:.5}
.sel{padding:4px 6px;border:1px solid #d0d3d6;border-radius:6px;background:#fff;max-width:100%}
.form{display:flex;flex-direction:column;gap:6px;border:1px dashed #dee0e3;border-radius:6px;padding:8px}
.field{display:flex;flex-direction:column;gap:2px;font-size:13px}
.field textarea,.field input{border:1px solid #d0d3d6;border-radius:6px;padding:4px 6px;width:100%}
.req{color:#d83931;font-style:normal;margin-left:2px}
.unknown{border:2px solid #d83931;background:#fff0f0;color:#d83931;padding:6px 8px;border-radius:6px;font-size:12px}
.unknown pre{white-space:pre-wrap;margin:4px 0 0;color:#8a1d17}
/* DingTalk */
.dcard{padding:10px 12px;display:flex;flex-direction:column;gap:8px}
.dhead{border-left:4px solid #0089ff;padding-left:8px}
.dtitle{font-weight:600;font-size:15px}
.dsub{font-size:12px;color:#646a73}
.dhead .tags{display:flex;gap:4px;flex-wrap:wrap;margin-top:2px}
.dtag{font-size:11px;border:1px solid;border-radius:4px;padding:0 5px}
.dgrid{display:grid;grid-template-columns:1fr 1fr;gap:4px 12px}
.dcell{display:flex;flex-direction:column}
.dl{font-size:12px;color:#8f959e}
.dbold{font-weight:600}
.dform{display:flex;flex-direction:column;gap:6px;border-top:1px solid #eff0f1;padding-top:6px}
.dnotice{font-size:12px}.n-success{color:#2ea121}.n-info{color:#646a73}.n-warning{color:#de7802}.n-error{color:#d83931}
.dmd,.dtext{padding:8px 12px}
/* composer */
.composer{background:#fff;border-top:1px solid #dee0e3;padding:8px}
.composer .row{display:flex;gap:6px;align-items:flex-end}
.composer textarea{flex:1;min-width:0;border:1px solid #d0d3d6;border-radius:6px;padding:6px;resize:vertical}
.composer .primary,.primary{background:#3370ff;color:#fff;border:0;border-radius:6px;padding:6px 14px}
.at-bot{font-size:12px;white-space:nowrap;color:#3370ff}
.replying{font-size:12px;color:#646a73;margin-bottom:4px}
.attachments{display:flex;gap:4px}
.attachments img{height:48px;border-radius:4px}
/* side panel */
.panel{background:#fff;border-left:1px solid #dee0e3;display:flex;flex-direction:column;min-width:0;min-height:0}
.panel[hidden]{display:none}
.panel-head{display:flex;gap:6px;align-items:center;padding:6px 8px;border-bottom:1px solid #dee0e3;flex-wrap:wrap}
.panel-head a{font-size:12px;color:#3370ff;margin-left:auto}
.tab{border:1px solid #d0d3d6;background:#fff;border-radius:6px;padding:2px 8px}
.tab.active{background:#e1eaff;border-color:#3370ff}
.raw{flex:1;margin:0;overflow:auto;padding:8px;font-size:12px;background:#fafafa;white-space:pre-wrap;word-break:break-all}
.raw[hidden]{display:none}
#console-frame{flex:1;border:0;width:100%;min-height:300px}
#console-frame[hidden]{display:none}
.toasts{position:fixed;top:12px;left:50%;transform:translateX(-50%);display:flex;flex-direction:column;gap:6px;z-index:20;pointer-events:none}
.toast{background:#1f2329;color:#fff;padding:8px 14px;border-radius:8px;box-shadow:0 4px 12px rgba(0,0,0,.2);max-width:90vw}
.toast.error{background:#d83931}.toast.success{background:#2ea121}.toast.warning{background:#de7802}
@media (max-width:760px){
  .layout,.layout.with-panel{grid-template-columns:minmax(0,1fr)}
  .top{padding:6px 8px;gap:4px}
  .controls{gap:4px 6px;font-size:13px}
  .controls button,.controls select{padding:2px 6px}
  .chats{display:none;position:fixed;inset:0 auto 0 0;width:80vw;z-index:10;box-shadow:4px 0 12px rgba(0,0,0,.2)}
  .chats.open{display:block}
  #show-chats{display:inline}
  .panel{position:fixed;inset:0;z-index:15}
  .brand .intro{display:none}
  .msg{max-width:100%}
  .dgrid{grid-template-columns:1fr}
}
`;
