/**
 * The console page's script: plain browser JavaScript (ES2017, no framework, no build step),
 * served inline with the page and kept as a TypeScript string so `tsc` ships it with the
 * library. It renders everything from the JSON API with `textContent` (message bodies and
 * errors are untrusted text, never HTML) and polls the API while the page is open.
 */
export const CONSOLE_SCRIPT = String.raw`
(function () {
  'use strict';
  var REFRESH = Number(document.body.getAttribute('data-refresh')) || 2000;
  var PAGE = Number(document.body.getAttribute('data-page-size')) || 50;
  // Relative to wherever the page is mounted (a global prefix included).
  var BASE = location.pathname.replace(/\/+$/, '') + '/api';
  var state = { queue: null, offset: 0, total: 0, letters: [], selected: new Set(), open: null, busy: false };

  function $(id) { return document.getElementById(id); }
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      if (key === 'text') node.textContent = props[key];
      else if (key === 'className') node.className = props[key];
      else if (key.slice(0, 2) === 'on') node.addEventListener(key.slice(2), props[key]);
      else node.setAttribute(key, props[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }
  function td(text, className) { return el('td', { text: text === undefined || text === null ? '' : String(text), className: className || '' }); }
  function q(name) { return encodeURIComponent(name); }

  function api(method, path, payload) {
    var init = { method: method, credentials: 'same-origin', cache: 'no-store', headers: {} };
    if (payload !== undefined) { init.headers['content-type'] = 'application/json'; init.body = JSON.stringify(payload); }
    return fetch(BASE + path, init).then(function (res) {
      return res.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!res.ok) {
          var message = data && data.message ? (Array.isArray(data.message) ? data.message.join('; ') : data.message) : res.status + ' ' + res.statusText;
          var error = new Error(message);
          error.status = res.status;
          error.data = data;
          throw error;
        }
        return data;
      });
    });
  }

  function flash(text, isError) {
    var box = $('flash');
    box.textContent = text;
    box.className = isError ? 'error' : '';
    box.setAttribute('role', isError ? 'alert' : 'status');
    box.hidden = false;
  }

  function sparkline(samples) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', '80');
    svg.setAttribute('height', '20');
    if (samples.length < 2) return svg;
    var max = Math.max.apply(null, samples.map(function (s) { return s.depth; })) || 1;
    var points = samples.map(function (s, i) {
      return ((i / (samples.length - 1)) * 78 + 1).toFixed(1) + ',' + (19 - (s.depth / max) * 18).toFixed(1);
    });
    var line = document.createElementNS(ns, 'polyline');
    line.setAttribute('points', points.join(' '));
    svg.appendChild(line);
    return svg;
  }

  function trendText(change) {
    if (change > 0) return el('span', { className: 'trend-up', text: '\u25B2 +' + change });
    if (change < 0) return el('span', { className: 'trend-down', text: '\u25BC ' + change });
    return el('span', { className: 'muted', text: '\u2013' });
  }

  function renderQueues(overview) {
    $('service').textContent = overview.service;
    var conn = $('conn');
    conn.textContent = 'RabbitMQ ' + overview.rabbitmq + ' \u00B7 Redis ' + overview.redis;
    conn.className = 'pill ' + (overview.status === 'up' ? 'up' : 'down');
    $('updated').textContent = 'live \u00B7 updated ' + new Date(overview.at).toLocaleTimeString();
    var body = $('queues').tBodies[0];
    body.replaceChildren();
    if (overview.queues.length === 0) body.appendChild(el('tr', {}, [el('td', { colspan: '11', className: 'empty', text: 'This service has no subscriptions yet.' })]));
    overview.queues.forEach(function (queue) {
      var rate = queue.trend.handledPerSecond;
      var row = el('tr', { 'data-queue': queue.queue, className: 'clickable' + (queue.queue === state.queue ? ' current' : ''), onclick: function () { openQueue(queue.queue); } }, [
        el('td', {}, [el('code', { text: queue.queue })]),
        td(queue.type),
        td(queue.messagesReady, 'num ready'),
        td(queue.consumers, 'num consumers'),
        td(queue.inFlight, 'num in-flight'),
        td(rate === null ? '\u2013' : rate, 'num rate'),
        td(queue.handlerMs.p50.toFixed(1) + ' / ' + queue.handlerMs.p95.toFixed(1) + ' / ' + queue.handlerMs.p99.toFixed(1), 'num'),
        td(queue.handled, 'num handled'),
        td(queue.failed, 'num'),
        td(queue.deadLetterDepth, 'num dead-letters' + (queue.deadLetterDepth > 0 ? ' dead' : '')),
        el('td', {}, [sparkline(queue.trend.deadLetterSamples), document.createTextNode(' '), trendText(queue.trend.deadLetterChange)]),
      ]);
      body.appendChild(row);
    });
  }

  function refreshQueues() {
    return api('GET', '/queues').then(renderQueues, function (error) {
      var conn = $('conn');
      conn.textContent = 'console unreachable: ' + error.message;
      conn.className = 'pill down';
    });
  }

  function openQueue(name) {
    if (state.queue !== name) { state.selected.clear(); state.offset = 0; }
    state.queue = name;
    $('dlq').hidden = false;
    Array.prototype.forEach.call(document.querySelectorAll('#queues tr[data-queue]'), function (row) {
      row.classList.toggle('current', row.getAttribute('data-queue') === name);
    });
    return loadLetters();
  }

  function renderLetters(page) {
    state.total = page.total;
    state.letters = page.deadLetters;
    var present = new Set(page.deadLetters.map(function (d) { return d.eventId; }));
    state.selected.forEach(function (id) { if (!present.has(id)) state.selected.delete(id); });
    $('dlq-name').textContent = page.deadLetterQueue;
    $('dlq-total').textContent = page.total;
    var body = $('letters').tBodies[0];
    body.replaceChildren();
    if (page.deadLetters.length === 0) body.appendChild(el('tr', {}, [el('td', { colspan: '8', className: 'empty', text: 'No dead letters.' })]));
    page.deadLetters.forEach(function (letter, index) {
      var box = el('input', { type: 'checkbox', 'aria-label': 'select ' + letter.eventId });
      box.checked = state.selected.has(letter.eventId);
      box.addEventListener('click', function (event) { event.stopPropagation(); });
      box.addEventListener('change', function () {
        if (box.checked) state.selected.add(letter.eventId); else state.selected.delete(letter.eventId);
        updateButtons();
      });
      body.appendChild(el('tr', { 'data-event-id': letter.eventId, className: 'clickable', onclick: function () { openDetail(index); } }, [
        el('td', {}, [box]),
        el('td', {}, [el('code', { text: letter.eventId })]),
        td(letter.type),
        td(letter.error, 'error-text'),
        td(letter.attempts, 'num'),
        td(letter.replayCount, 'num'),
        td(letter.failedAt ? new Date(letter.failedAt).toLocaleString() : '\u2013'),
        el('td', {}, [el('code', { text: letter.correlationId || '\u2013' })]),
      ]));
    });
    var from = page.total === 0 ? 0 : page.offset + 1;
    $('range').textContent = from + '\u2013' + (page.offset + page.deadLetters.length) + ' of ' + page.total;
    $('prev').disabled = page.offset === 0;
    $('next').disabled = page.offset + page.deadLetters.length >= page.total;
    updateButtons();
  }

  function loadLetters() {
    if (!state.queue) return Promise.resolve();
    var path = '/queues/' + q(state.queue) + '/dead-letters?offset=' + state.offset + '&limit=' + PAGE;
    return api('GET', path).then(function (page) {
      // Past the end after a replay or purge: show the last page there is.
      if (page.deadLetters.length === 0 && page.offset > 0 && page.total > 0) {
        state.offset = Math.max(0, Math.floor((page.total - 1) / PAGE) * PAGE);
        return loadLetters();
      }
      renderLetters(page);
    }, function (error) { flash(error.message, true); });
  }

  function updateButtons() {
    $('replay-selected').disabled = state.selected.size === 0;
    $('replay-selected').textContent = 'Replay selected (' + state.selected.size + ')';
    $('replay-all').disabled = state.total === 0;
    $('purge').disabled = state.total === 0;
  }

  function pretty(body) {
    try { return JSON.stringify(JSON.parse(body), null, 2); } catch (e) { return body; }
  }

  function openDetail(index) {
    var letter = state.letters[index];
    state.open = letter;
    $('detail-title').textContent = letter.eventId;
    var fields = $('detail-fields');
    fields.replaceChildren();
    [['Type', letter.type], ['Error', letter.errorName + ': ' + letter.error], ['Attempts', letter.attempts], ['Failed at', letter.failedAt || '\u2013'],
      ['Correlation ID', letter.correlationId || '\u2013'], ['Original queue', letter.originalQueue], ['Replay count', letter.replayCount]].forEach(function (pair) {
      fields.appendChild(el('dt', { text: pair[0] }));
      fields.appendChild(el('dd', { text: String(pair[1]) }));
    });
    var history = $('detail-history').tBodies[0];
    history.replaceChildren();
    if (letter.history.length === 0) history.appendChild(el('tr', {}, [el('td', { colspan: '3', className: 'empty', text: 'No retry history.' })]));
    letter.history.forEach(function (entry) { history.appendChild(el('tr', {}, [td(entry.attempt, 'num'), td(entry.timestamp), td(entry.error, 'error-text')])); });
    $('detail-headers').textContent = JSON.stringify(letter.headers, null, 2);
    $('detail-properties').textContent = JSON.stringify(letter.properties, null, 2);
    $('detail-body').value = pretty(letter.body);
    $('detail-problems').replaceChildren();
    $('detail-problems').hidden = true;
    $('detail').showModal();
  }

  function closeDetail() {
    state.open = null;
    if ($('detail').open) $('detail').close();
    return loadLetters();
  }

  function showProblems(error) {
    var list = $('detail-problems');
    list.replaceChildren();
    var problems = error.data && Array.isArray(error.data.problems) ? error.data.problems : [];
    list.appendChild(el('li', { text: error.message }));
    problems.forEach(function (p) { list.appendChild(el('li', { text: p })); });
    list.hidden = false;
  }

  function confirmAction(text, label) {
    return new Promise(function (resolve) {
      var dialog = $('confirm');
      $('confirm-text').textContent = text;
      $('confirm-ok').textContent = label;
      function done(answer) {
        $('confirm-ok').removeEventListener('click', ok);
        $('confirm-cancel').removeEventListener('click', cancel);
        dialog.removeEventListener('cancel', cancel);
        if (dialog.open) dialog.close();
        resolve(answer);
      }
      function ok() { done(true); }
      function cancel() { done(false); }
      $('confirm-ok').addEventListener('click', ok);
      $('confirm-cancel').addEventListener('click', cancel);
      dialog.addEventListener('cancel', cancel);
      dialog.showModal();
    });
  }

  function act(work) {
    if (state.busy) return Promise.resolve();
    state.busy = true;
    return work().then(function (result) {
      if (result && result.message) flash(result.message, false);
    }, function (error) {
      flash(error.message, true);
      throw error;
    }).then(function () { return Promise.all([refreshQueues(), loadLetters()]); }, function () { return Promise.all([refreshQueues(), loadLetters()]); })
      .then(function () { state.busy = false; }, function () { state.busy = false; });
  }

  function dlqPath(suffix) { return '/queues/' + q(state.queue) + '/dead-letters' + suffix; }

  $('replay-selected').addEventListener('click', function () {
    var ids = Array.from(state.selected);
    act(function () { return api('POST', dlqPath('/replay'), { ids: ids }); });
  });
  $('replay-all').addEventListener('click', function () {
    confirmAction('Replay all ' + state.total + ' dead letter(s) of ' + $('dlq-name').textContent + ' to their queue?', 'Replay all').then(function (yes) {
      if (yes) act(function () { return api('POST', dlqPath('/replay'), { all: true, confirm: true }); });
    });
  });
  $('purge').addEventListener('click', function () {
    confirmAction('Delete all ' + state.total + ' dead letter(s) of ' + $('dlq-name').textContent + ' for good? This cannot be undone.', 'Purge').then(function (yes) {
      if (yes) act(function () { return api('POST', dlqPath('/purge'), { confirm: true }); });
    });
  });
  $('select-all').addEventListener('change', function (event) {
    state.letters.forEach(function (d) { if (event.target.checked) state.selected.add(d.eventId); else state.selected.delete(d.eventId); });
    renderLetters({ total: state.total, offset: state.offset, deadLetters: state.letters, deadLetterQueue: $('dlq-name').textContent });
  });
  $('prev').addEventListener('click', function () { state.offset = Math.max(0, state.offset - PAGE); loadLetters(); });
  $('next').addEventListener('click', function () { state.offset += PAGE; loadLetters(); });
  $('detail-close').addEventListener('click', closeDetail);
  $('detail').addEventListener('cancel', function () { state.open = null; });
  function replayFromDetail(payload) {
    var letter = state.open;
    $('detail-problems').hidden = true;
    return api('POST', dlqPath('/' + q(letter.eventId) + '/replay'), payload).then(function (result) {
      flash(result.message, false);
      state.selected.delete(letter.eventId);
      return closeDetail().then(refreshQueues);
    }, function (error) {
      showProblems(error);
    });
  }
  $('detail-replay').addEventListener('click', function () { replayFromDetail({}); });
  $('detail-replay-edited').addEventListener('click', function () { replayFromDetail({ body: $('detail-body').value }); });

  // Live: poll while the page is open; the dead-letter page stays put while a message is open.
  function tick() {
    var work = [refreshQueues()];
    if (state.queue && !state.open && !state.busy) work.push(loadLetters());
    Promise.all(work).then(function () { setTimeout(tick, REFRESH); });
  }
  tick();
})();
`;
