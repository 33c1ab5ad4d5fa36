/**
 * The console page's style sheet: plain CSS, served inline with the page (no CDN, no network at
 * run time), kept as a TypeScript string so `tsc` ships it with the library.
 */
export const CONSOLE_STYLE = `
:root { --ink: #1d2433; --muted: #5f6b7a; --line: #dde2ea; --bg: #f5f7fa; --accent: #2f6fde; --bad: #c8322b; --good: #1f8a4c; --warn: #b7791f; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
header { display: flex; align-items: center; gap: 12px; padding: 12px 24px; background: #1d2433; color: #fff; }
header h1 { font-size: 17px; margin: 0; font-weight: 600; }
header .muted { color: #aab4c3; }
main { padding: 16px 24px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; margin-bottom: 16px; }
h2 { font-size: 15px; margin: 0 0 10px; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.clickable { cursor: pointer; }
tr.clickable:hover td { background: #f0f4fb; }
tr.current td { background: #e8f0ff; }
code, pre, textarea { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; background: #e4e8ee; color: var(--ink); }
.pill.up { background: #d8f3e3; color: var(--good); }
.pill.down { background: #fbe0de; color: var(--bad); }
.dead { font-weight: 600; color: var(--bad); }
.trend-up { color: var(--bad); }
.trend-down { color: var(--good); }
.muted { color: var(--muted); }
.error-text { color: var(--bad); max-width: 420px; overflow-wrap: anywhere; }
button { font: inherit; padding: 5px 12px; border-radius: 6px; border: 1px solid #b9c2cf; background: #fff; color: var(--ink); cursor: pointer; }
button:hover:not(:disabled) { border-color: var(--accent); }
button:disabled { opacity: .5; cursor: default; }
button.primary { background: var(--accent); border-color: var(--accent); color: #fff; }
button.danger { color: var(--bad); border-color: #e3a9a5; }
button.danger.primary { background: var(--bad); border-color: var(--bad); color: #fff; }
.actions { display: flex; gap: 8px; margin: 0 0 10px; align-items: center; flex-wrap: wrap; }
.grow { flex: 1; }
.actions.spaced { margin-top: 10px; }
.pager { display: flex; gap: 10px; align-items: center; justify-content: flex-end; margin-top: 10px; }
#flash { margin: 12px 24px 0; padding: 8px 12px; border-radius: 6px; background: #e3f3ea; color: #14532d; border: 1px solid #b7dfc6; }
#flash.error { background: #fdecea; color: #7f1d1d; border-color: #f3b8b3; }
dialog { border: 1px solid var(--line); border-radius: 10px; padding: 0; width: min(980px, 94vw); max-height: 90vh; box-shadow: 0 12px 40px rgba(0,0,0,.25); }
dialog::backdrop { background: rgba(20, 27, 40, .45); }
dialog .inner { padding: 16px 20px; overflow: auto; max-height: 90vh; }
dialog h3 { margin: 0 0 10px; font-size: 15px; }
dialog h4 { margin: 14px 0 6px; font-size: 13px; color: var(--muted); text-transform: uppercase; letter-spacing: .03em; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; }
dl.fields dt { color: var(--muted); }
dl.fields dd { margin: 0; overflow-wrap: anywhere; }
pre { background: var(--bg); border: 1px solid var(--line); border-radius: 6px; padding: 8px; margin: 0; max-height: 180px; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
textarea { width: 100%; min-height: 180px; border: 1px solid #b9c2cf; border-radius: 6px; padding: 8px; }
#detail-problems { color: var(--bad); margin: 8px 0 0; padding: 8px 12px 8px 28px; background: #fdecea; border-radius: 6px; }
.empty { color: var(--muted); padding: 14px 8px; }
svg.spark { vertical-align: middle; }
svg.spark polyline { fill: none; stroke: var(--bad); stroke-width: 1.5; }
`;
