// The console's only stylesheet, inlined into every page (no asset pipeline, nothing fetched).
// Mobile first: Feishu's and DingTalk's in-app browsers are phone-width; wider screens get columns.
export const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:14px/1.55 -apple-system,BlinkMacSystemFont,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Segoe UI",Roboto,sans-serif;color:#1f2329;background:#f2f3f5}
a{color:#245bdb;text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:20px;margin:0 0 12px}h2{font-size:16px;margin:0 0 10px}h3{font-size:14px;margin:0 0 8px}
.top{background:#1d2b4f;color:#fff;display:flex;flex-wrap:wrap;align-items:center;gap:4px 16px;padding:8px 16px}
.top a{color:#dfe6ff}.top .brand{font-weight:600;color:#fff;margin-right:8px}
.top nav{display:flex;gap:14px;flex:1}.top nav a.on{color:#fff;font-weight:600;border-bottom:2px solid #7aa2ff}
.top .me{display:flex;align-items:center;gap:10px;font-size:13px;color:#c9d3f0;margin-left:auto}
.top form{margin:0}.linkbtn{background:none;border:0;color:#dfe6ff;font:inherit;cursor:pointer;padding:0}
main{max-width:1200px;margin:0 auto;padding:14px}
.card{background:#fff;border-radius:8px;padding:14px;margin-bottom:12px;box-shadow:0 1px 2px rgba(31,35,41,.08)}
.muted{color:#646a73}.small{font-size:12px}.nowrap{white-space:nowrap}
.flash{padding:10px 12px;border-radius:6px;margin-bottom:12px}
.flash.ok{background:#e8f8ee;color:#1a7f37}.flash.err{background:#fdecec;color:#b42318}
label{display:block;font-size:12px;color:#646a73;margin-bottom:2px}
input,select,textarea,button{font:inherit}
input[type=text],input[type=date],input[type=password],input[type=search],select,textarea{width:100%;padding:7px 9px;border:1px solid #d0d3d6;border-radius:6px;background:#fff;color:#1f2329}
textarea{min-height:64px;resize:vertical}
.btn{display:inline-block;padding:7px 14px;border-radius:6px;border:1px solid #d0d3d6;background:#fff;color:#1f2329;cursor:pointer;text-align:center;white-space:nowrap}
.btn:hover{text-decoration:none;background:#f5f6f7}
.btn.primary{background:#3370ff;border-color:#3370ff;color:#fff}.btn.primary:hover{background:#245bdb}
.btn.danger{background:#fff;border-color:#f54a45;color:#d83931}
.btn.block{display:block;width:100%}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.filters{display:grid;grid-template-columns:1fr 1fr;gap:8px}
.filters .wide{grid-column:1/-1}
.filters .check{display:flex;align-items:center;gap:6px;font-size:14px;color:#1f2329;margin:0}
.filters .buttons{grid-column:1/-1;display:flex;flex-wrap:wrap;gap:8px}
.filters .toggle{position:absolute;opacity:0;pointer-events:none}
.filters .toggle-label{align-self:end;margin:0;font-size:14px;color:#245bdb}
.filters .more{display:none;grid-column:1/-1;grid-template-columns:1fr 1fr;gap:8px}
.filters .toggle:checked~.more{display:grid}
.filters .toggle:focus-visible+.toggle-label{outline:2px solid #3370ff}
.tag{display:inline-block;padding:0 7px;border-radius:4px;font-size:12px;line-height:20px;white-space:nowrap;background:#eff0f1;color:#51565d}
.st-open{background:#fff3e8;color:#c25f00}.st-in_progress{background:#e1eaff;color:#245bdb}.st-resolved{background:#e4f7f6;color:#078372}
.st-closed{background:#e8f8ee;color:#1a7f37}.st-rejected,.st-merged{background:#eff0f1;color:#646a73}
.pr-urgent{background:#fdecec;color:#d83931}.pr-high{background:#fff3e8;color:#c25f00}.pr-medium{background:#e1eaff;color:#245bdb}.pr-low{background:#eff0f1;color:#646a73}
.late{background:#fdecec;color:#d83931;font-weight:600}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:8px;border-bottom:1px solid #eff0f1;vertical-align:top}
th{font-size:12px;color:#646a73;font-weight:500;background:#fafbfc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.tickets td.title a{font-weight:500}
.pager{display:flex;justify-content:space-between;align-items:center;gap:8px;margin-top:10px}
.head{display:flex;flex-wrap:wrap;align-items:center;gap:6px 10px;margin-bottom:8px}
.head h1{margin:0;flex-basis:100%}
ul.attachments{list-style:none;margin:0;padding:0;display:grid;gap:10px}
ul.attachments img{display:block;max-width:100%;max-height:320px;border:1px solid #dee0e3;border-radius:6px;margin-bottom:4px}
dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:6px 14px;margin:0}
dl.fields dt{color:#646a73}dl.fields dd{margin:0;word-break:break-word}
.text{white-space:pre-wrap;word-break:break-word}
.cols{display:grid;gap:12px}
ol.timeline{list-style:none;margin:0;padding:0}
ol.timeline li{position:relative;padding:0 0 12px 18px;border-left:2px solid #e1eaff;margin-left:5px}
ol.timeline li::before{content:"";position:absolute;left:-6px;top:5px;width:10px;height:10px;border-radius:50%;background:#3370ff}
ol.timeline li:last-child{border-left-color:transparent}
.actions form{margin:0 0 10px}
.actions .inline{display:flex;gap:8px;align-items:flex-end}
.actions .inline>div{flex:1}
details.more{margin-top:6px}details.more summary{cursor:pointer;color:#245bdb;margin-bottom:8px}
.kpis{display:grid;grid-template-columns:repeat(2,1fr);gap:8px;margin-bottom:12px}
.kpi{background:#fff;border-radius:8px;padding:10px 12px;box-shadow:0 1px 2px rgba(31,35,41,.08)}
.kpi .v{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.kpi .d{font-size:12px}.up{color:#1a7f37}.down{color:#d83931}
.charts{display:grid;gap:12px}
.chart svg{width:100%;height:auto;display:block}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:#646a73;margin-top:4px}
.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.periods{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end}
.periods .range{display:flex;gap:6px;align-items:flex-end}
.periods .range input{width:150px}
.login{max-width:400px;margin:40px auto}
.login .btn{margin-bottom:8px}
@media (max-width:720px){
  main{padding:10px}
  table.stack thead{display:none}
  table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
  table.stack tr{border-bottom:1px solid #e4e5e7;padding:8px 0}
  table.stack td{border:0;padding:2px 0;display:flex;gap:10px}
  table.stack td::before{content:attr(data-label);color:#646a73;font-size:12px;min-width:64px;flex:none;padding-top:1px}
  table.stack td.title{font-size:15px}table.stack td.title::before{display:none}
  table.stack td.num{text-align:left}
  table.tickets thead{display:none}
  table.tickets,table.tickets tbody{display:block}
  table.tickets tr{display:flex;flex-wrap:wrap;align-items:center;gap:3px 8px;padding:10px 0;border-bottom:1px solid #e4e5e7}
  table.tickets td{display:block;border:0;padding:0;font-size:13px;color:#646a73}
  table.tickets td.title{order:-1;flex-basis:100%;font-size:15px}
  table.tickets td.c-number a{color:#646a73}
  table.tickets td.c-due::before{content:attr(data-label) " ";}
  dl.fields{grid-template-columns:88px 1fr}
  /* One column on a phone: the description, then what can be done, then the details. */
  .cols{display:flex;flex-direction:column;gap:0}
  .cols>div{display:contents}
  #description-card{order:-2}
  #actions{order:-1}
}
@media (min-width:721px){
  .filters{grid-template-columns:repeat(4,1fr)}
  .filters .more,.filters .toggle:checked~.more{display:contents}
  .filters .toggle-label{display:none}
  .filters .wide{grid-column:span 2}
  .cols{grid-template-columns:3fr 2fr}
  .kpis{grid-template-columns:repeat(4,1fr)}
  .charts{grid-template-columns:1fr 1fr}
  .charts .full{grid-column:1/-1}
  .head h1{flex-basis:auto}
}
`;
