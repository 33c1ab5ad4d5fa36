import { createHash } from 'node:crypto';
import { CONSOLE_SCRIPT } from './console-page.script';
import { CONSOLE_STYLE } from './console-page.style';

/** What the page needs from the server: the rest it reads from the JSON API. */
export interface ConsolePageSettings {
  serviceName: string;
  pageSize: number;
  refreshInterval: number;
}

const hashOf = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * `Content-Security-Policy` of the page: only its own inline script and style (by hash) and
 * requests to its own origin, so even a dead letter crafted to look like markup could run nothing.
 */
export const CONSOLE_PAGE_CSP = [
  "default-src 'none'",
  `script-src ${hashOf(CONSOLE_SCRIPT)}`,
  `style-src ${hashOf(CONSOLE_STYLE)}`,
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The console page: a static shell the script fills from the JSON API. */
export function renderConsolePage(settings: ConsolePageSettings): string {
  const service = escapeHtml(settings.serviceName);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Event bus console · ${service}</title>
<style>${CONSOLE_STYLE}</style>
</head>
<body data-refresh="${settings.refreshInterval}" data-page-size="${settings.pageSize}">
<header>
  <h1>Event bus · <span id="service">${service}</span></h1>
  <span id="conn" class="pill">connecting…</span>
  <span class="grow"></span>
  <span id="updated" class="muted"></span>
</header>
<div id="flash" role="status" hidden></div>
<main>
  <section>
    <h2>Queues</h2>
    <table id="queues">
      <thead><tr><th>Queue</th><th>Type</th><th class="num">Ready</th><th class="num">Consumers</th><th class="num">In flight</th><th class="num">Rate /s</th>
      <th class="num">Handler ms p50 / p95 / p99</th><th class="num">Handled</th><th class="num">Failed</th><th class="num">Dead letters</th><th>Trend</th></tr></thead>
      <tbody></tbody>
    </table>
  </section>
  <section id="dlq" hidden>
    <h2>Dead letters of <code id="dlq-name"></code> (<span id="dlq-total">0</span>)</h2>
    <div class="actions">
      <button id="replay-selected" class="primary" disabled>Replay selected (0)</button>
      <button id="replay-all">Replay all…</button>
      <button id="purge" class="danger">Purge…</button>
    </div>
    <table id="letters">
      <thead><tr><th><input type="checkbox" id="select-all" aria-label="select all on this page"></th><th>Event ID</th><th>Type</th><th>Error</th>
      <th class="num">Attempts</th><th class="num">Replays</th><th>Failed at</th><th>Correlation ID</th></tr></thead>
      <tbody></tbody>
    </table>
    <div class="pager"><button id="prev">‹ Newer</button><span id="range"></span><button id="next">Older ›</button></div>
  </section>
</main>
<dialog id="detail" aria-labelledby="detail-title">
  <div class="inner">
    <h3>Dead letter <code id="detail-title"></code></h3>
    <dl id="detail-fields" class="fields"></dl>
    <h4>Retry history</h4>
    <table id="detail-history"><thead><tr><th class="num">Attempt</th><th>At</th><th>Error</th></tr></thead><tbody></tbody></table>
    <h4>Headers</h4>
    <pre id="detail-headers"></pre>
    <h4>Properties</h4>
    <pre id="detail-properties"></pre>
    <h4>Body</h4>
    <textarea id="detail-body" spellcheck="false" aria-label="message body"></textarea>
    <ul id="detail-problems" role="alert" hidden></ul>
    <div class="actions spaced">
      <button id="detail-replay" class="primary">Replay</button>
      <button id="detail-replay-edited">Replay with edited body</button>
      <span class="grow"></span>
      <button id="detail-close">Close</button>
    </div>
  </div>
</dialog>
<dialog id="confirm">
  <div class="inner">
    <p id="confirm-text"></p>
    <div class="actions"><button id="confirm-cancel">Cancel</button><button id="confirm-ok" class="danger primary">Confirm</button></div>
  </div>
</dialog>
<script>${CONSOLE_SCRIPT}</script>
</body>
</html>
`;
}
