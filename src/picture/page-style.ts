/** The HTML report's styles: system fonts only, readable printed and without colour. */
import { SVG_STYLE } from './svg.js';

export const PAGE_STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0 auto;padding:16px 24px;max-width:1800px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.verdict{display:inline-block;padding:1px 8px;border-radius:4px;font-weight:600;color:#fff}
.verdict.pass{background:#1a7f37}.verdict.fail{background:#cf222e}.verdict.differs{background:#8250df}.verdict.error,.verdict.bad-input,.verdict.interrupted{background:#9a6700}
.facts{display:flex;flex-wrap:wrap;gap:4px 18px;margin:6px 0;color:#57606a}.facts b{color:#1f2328;font-weight:600}
.filters{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;margin:8px 0;padding:6px 10px;background:#f6f8fa;border-radius:6px}
.filters label{white-space:nowrap}
.pane{overflow:auto;border:1px solid #d0d7de;border-radius:6px;max-height:78vh;margin:6px 0}
.heat-row{display:flex;gap:12px;align-items:flex-start}
.heat-row .pane{flex:1 1 auto}
canvas.heatmap{background:#fff;display:block;position:sticky;top:0;left:0}
.heat-sizer{position:relative}
.detail{flex:0 0 340px;border:1px solid #d0d7de;border-radius:6px;padding:8px 12px;max-height:78vh;overflow:auto;background:#fff}
.detail dt{font-weight:600;margin-top:6px}.detail dd{margin:0}.detail code{display:block;white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:4px}
.detail h4{margin:0 0 4px}
.o-r,.o-i{color:#1a7f37}.o-f{color:#cf222e}.o-e{color:#9a6700}.o-d{color:#8250df}
.tip{position:absolute;z-index:9;background:#1f2328;color:#fff;padding:3px 8px;border-radius:4px;font-size:12px;max-width:520px;pointer-events:none}
table{border-collapse:collapse;margin:4px 0}th,td{text-align:left;padding:3px 10px 3px 0;vertical-align:top;border-bottom:1px solid #eaeef2}
.legend span{margin-right:14px}
ul.problems{list-style:none;padding:0}ul.problems li{cursor:pointer;padding:2px 0}ul.problems li:hover{text-decoration:underline}
.topo .on>rect{stroke:#0969da !important;stroke-width:3 !important}
.topo .on>path{stroke:#0969da !important;stroke-width:3.5 !important}
.topo .dim{opacity:.35}
svg.topo.fitted{width:100%;height:auto}
${SVG_STYLE}
`;
