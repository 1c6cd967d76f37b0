/**
 * The HTML report's own script, plain browser JavaScript kept as text: it draws each section's
 * heatmap on a canvas from the encoded matrix (heatmap-data.ts), shows a cell's details on hover and
 * click, highlights the cell's path on the topology, and applies the host, network and problem
 * filters. No library, no network.
 */
import { DECODE_JS } from './heatmap-data.js';

export const PAGE_SCRIPT = `(function () {
'use strict';
${DECODE_JS}
var GLYPH = { r: '\\u25cf', i: '\\u25cb', f: '\\u2718', e: '!' };
var WORD = { r: 'PASS: reaches, as expected', i: 'PASS: does not reach, as expected', f: 'FAIL: the opposite of what was expected', e: 'ERROR: could not be probed' };
var COLOUR = { r: '#1a7f37', i: '#4ac26b', f: '#cf222e', e: '#bf8700', d: '#8250df' };
var data = JSON.parse(document.getElementById('lab-data').textContent);
var api = { sections: [] };
window.labReport = api;

data.sections.forEach(function (m, si) {
  var root = document.querySelector('[data-section="' + si + '"]');
  if (!root) return;
  var M = decodeMatrix(m);
  var canvas = root.querySelector('canvas.heatmap');
  var tip = document.querySelector('.tip');
  var panel = root.querySelector('.detail');
  var svg = root.querySelector('svg.topo');
  var state = { zoom: 1, hosts: {}, network: '', problems: false, selected: -1 };
  // Cell index by (source, target), +1 so that 0 means none: a typed array, not 30,000 string keys.
  var byPair = new Int32Array(m.sources.length * m.targets.length);
  for (var k = 0; k < M.n; k++) byPair[M.s[k] * m.targets.length + M.t[k]] = k + 1;
  m.sources.forEach(function (s) { state.hosts[s[1]] = true; });
  m.targets.forEach(function (t) { if (t[2]) state.hosts[t[2]] = true; });
  var rows = [], cols = [], geo = {};

  function visible() {
    var bad = {}, badT = {};
    if (state.problems) for (var i = 0; i < M.n; i++) { var o = M.o.charAt(i); if (o === 'f' || o === 'e' || o === 'd') { bad[M.s[i]] = 1; badT[M.t[i]] = 1; } }
    rows = []; cols = [];
    m.sources.forEach(function (s, i) {
      if (!state.hosts[s[1]]) return;
      if (state.network && s[2].indexOf(state.network) < 0) return;
      if (state.problems && !bad[i]) return;
      rows.push(i);
    });
    m.targets.forEach(function (t, i) {
      if (t[2] && !state.hosts[t[2]]) return;
      if (state.network && t[3].indexOf(state.network) < 0) return;
      if (state.problems && !badT[i]) return;
      cols.push(i);
    });
  }

  // The heatmap's whole image (geo.w x geo.h) can be megapixels at 8 x 16; the canvas is only as
  // big as the pane shows, and redrawn from the data as the pane scrolls: sizing, filling and
  // painting a canvas of the whole image cost most of the page's first paint.
  var pane = canvas.parentNode.parentNode, sizer = canvas.parentNode, pending = false;

  function draw() {
    visible();
    // Cells big enough for their labels (scroll for the rest); zoom goes smaller for an overview.
    var cs = Math.max(4, Math.round(Math.max(11, Math.min(20, 900 / Math.max(1, cols.length))) * state.zoom));
    // The generic monospace font: its width is known from the length, no text is measured.
    var size = Math.min(11, cs - 1), charW = size * 0.62;
    var left = 8, top = 8;
    rows.forEach(function (r) { left = Math.max(left, (m.sources[r][0].length + m.sources[r][1].length + 1) * charW + 14); });
    cols.forEach(function (c) { top = Math.max(top, Math.min(150, Math.min(22, m.targets[c][0].length) * charW + 12)); });
    var w = Math.ceil(left + cols.length * cs + 8), h = Math.ceil(top + rows.length * cs + 8);
    geo = { left: left, top: top, cs: cs, w: w, h: h, sx: 0, sy: 0, font: size + 'px monospace' };
    sizer.style.width = w + 'px'; sizer.style.height = h + 'px';
    render();
    canvas.setAttribute('data-rows', rows.length);
    canvas.setAttribute('data-cols', cols.length);
    canvas.setAttribute('data-cells', M.n);
  }

  // Draws the part of the whole image the pane shows, in the whole image's coordinates.
  function render() {
    pending = false;
    var vw = Math.max(1, Math.min(geo.w, pane.clientWidth || geo.w)), vh = Math.max(1, Math.min(geo.h, pane.clientHeight || geo.h));
    var sx = Math.max(0, Math.min(pane.scrollLeft, geo.w - vw)), sy = Math.max(0, Math.min(pane.scrollTop, geo.h - vh));
    geo.sx = sx; geo.sy = sy;
    var dpr = window.devicePixelRatio || 1, cs = geo.cs, left = geo.left, top = geo.top;
    if (canvas.width !== Math.round(vw * dpr) || canvas.height !== Math.round(vh * dpr)) {
      canvas.width = Math.round(vw * dpr); canvas.height = Math.round(vh * dpr);
      canvas.style.width = vw + 'px'; canvas.style.height = vh + 'px';
    }
    var ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, -sx * dpr, -sy * dpr);
    ctx.clearRect(sx, sy, vw, vh);
    var x0 = Math.max(0, Math.floor((sx - left) / cs)), x1 = Math.min(cols.length, Math.ceil((sx + vw - left) / cs));
    var y0 = Math.max(0, Math.floor((sy - top) / cs)), y1 = Math.min(rows.length, Math.ceil((sy + vh - top) / cs));
    ctx.font = geo.font;
    ctx.textBaseline = 'middle';
    ctx.fillStyle = '#1f2328';
    if (cs >= 8 && sx < left) {
      ctx.textAlign = 'right';
      for (var y = y0; y < y1; y++) { var s = m.sources[rows[y]]; ctx.fillText(s[0] + '@' + s[1], left - 6, top + y * cs + cs / 2); }
    }
    if (cs >= 8 && sy < top) {
      ctx.textAlign = 'left';
      for (var x = x0; x < x1; x++) {
        var t = m.targets[cols[x]];
        ctx.save(); ctx.translate(left + x * cs + cs / 2, top - 6); ctx.rotate(-Math.PI / 2);
        ctx.fillText(t[0].length > 22 ? t[0].slice(0, 21) + '\\u2026' : t[0], 0, 0); ctx.restore();
      }
    }
    cellsDrawn(ctx, x0, x1, y0, y1);
    separators(ctx, x0, x1, y0, y1);
  }

  function later() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(render);
  }
  pane.addEventListener('scroll', later);
  window.addEventListener('resize', later);

  // Each outcome its own shape, as in the terminal's matrix: disc, ring, cross, exclamation bar.
  // Each shape is drawn once, then copied pixel by pixel into every cell of its outcome: tens of
  // thousands of cells draw in a few milliseconds, whatever the browser's rasteriser.
  function glyph(o, px) {
    var c = document.createElement('canvas');
    c.width = c.height = px;
    var g = c.getContext('2d'), cx = px / 2, rad = Math.max(2, px * 0.36), lw = Math.max(1, px / 9);
    g.fillStyle = o === 'f' ? '#ffebe9' : o === 'e' ? '#fff8c5' : o === 'd' ? '#fbefff' : '#f6fff8';
    g.fillRect(0, 0, px, px);
    g.fillStyle = '#fff'; g.fillRect(0, px - 1, px, 1); g.fillRect(px - 1, 0, 1, px);
    g.fillStyle = g.strokeStyle = COLOUR[o];
    g.lineWidth = o === 'f' ? Math.max(1.5, px / 6) : lw;
    g.beginPath();
    if (o === 'r') { g.arc(cx, cx, rad, 0, 7); g.fill(); }
    else if (o === 'i') { g.arc(cx, cx, rad - lw / 2, 0, 7); g.stroke(); }
    else if (o === 'f') { g.moveTo(cx - rad, cx - rad); g.lineTo(cx + rad, cx + rad); g.moveTo(cx + rad, cx - rad); g.lineTo(cx - rad, cx + rad); g.stroke(); }
    else if (o === 'd') { g.fillRect(cx - rad, cx - rad * 0.45, rad * 2, lw); g.fillRect(cx - rad, cx + rad * 0.45 - lw, rad * 2, lw); g.moveTo(cx + rad * 0.6, cx - rad); g.lineTo(cx - rad * 0.6, cx + rad); g.stroke(); }
    else { g.fillRect(cx - lw, cx - rad, lw * 2, rad * 1.3); g.fillRect(cx - lw, cx + rad * 0.55, lw * 2, rad * 0.45); }
    return new Uint32Array(g.getImageData(0, 0, px, px).data.buffer);
  }

  // Lines between the hosts' rows and between the kinds of target, over the cells.
  function separators(ctx, x0, x1, y0, y1) {
    ctx.fillStyle = '#8c959f';
    for (var y = Math.max(1, y0); y < y1; y++) if (m.sources[rows[y]][1] !== m.sources[rows[y - 1]][1]) ctx.fillRect(geo.sx, geo.top + y * geo.cs - 1, geo.w, 1.5);
    for (var x = Math.max(1, x0); x < x1; x++) if (m.targets[cols[x]][1] !== m.targets[cols[x - 1]][1]) ctx.fillRect(geo.left + x * geo.cs - 1, geo.sy, 1.5, geo.h);
  }

  var sprites = {};
  function cellsDrawn(ctx, x0, x1, y0, y1) {
    var dpr = window.devicePixelRatio || 1, cs = geo.cs, px = Math.round(cs * dpr), T = m.targets.length;
    var w = (x1 - x0) * px, h = (y1 - y0) * px;
    if (w <= 0 || h <= 0) return;
    if (!sprites[px]) sprites[px] = { r: glyph('r', px), i: glyph('i', px), f: glyph('f', px), e: glyph('e', px), d: glyph('d', px) };
    var sp = sprites[px];
    // Left transparent where no cell is (a run's sparse matrix): the canvas's CSS background is white.
    var img = ctx.createImageData(w, h), out = new Uint32Array(img.data.buffer);
    // A plain loop: a subarray per cell row would allocate hundreds of thousands of views.
    for (var y = y0; y < y1; y++) {
      for (var x = x0; x < x1; x++) {
        var k = byPair[rows[y] * T + cols[x]] - 1;
        if (k < 0) continue;
        var sprite = sp[M.o.charAt(k)], ox = (x - x0) * px, oy = (y - y0) * px;
        for (var yy = 0, from = 0; yy < px; yy++) {
          for (var xx = 0, to = (oy + yy) * w + ox; xx < px; xx++) out[to + xx] = sprite[from++];
        }
      }
    }
    // putImageData ignores the transform: device pixels, relative to the part shown.
    ctx.putImageData(img, Math.round((geo.left + x0 * cs - geo.sx) * dpr), Math.round((geo.top + y0 * cs - geo.sy) * dpr));
    var sel = state.selected;
    if (sel >= 0) {
      var sxi = cols.indexOf(M.t[sel]), syi = rows.indexOf(M.s[sel]);
      if (sxi >= x0 && sxi < x1 && syi >= y0 && syi < y1) {
        ctx.strokeStyle = '#0969da'; ctx.lineWidth = 2;
        ctx.strokeRect(geo.left + sxi * cs + 1, geo.top + syi * cs + 1, cs - 2, cs - 2);
      }
    }
  }

  // Scrolls the pane so cell i shows; its centre in the whole image, or null when filtered out.
  function reveal(i) {
    var x = cols.indexOf(M.t[i]), y = rows.indexOf(M.s[i]);
    if (x < 0 || y < 0) return null;
    var cx = geo.left + (x + 0.5) * geo.cs, cy = geo.top + (y + 0.5) * geo.cs;
    var vw = pane.clientWidth, vh = pane.clientHeight;
    if (cx < pane.scrollLeft + geo.left || cx > pane.scrollLeft + vw - geo.cs) pane.scrollLeft = Math.max(0, cx - vw / 2);
    if (cy < pane.scrollTop + geo.top || cy > pane.scrollTop + vh - geo.cs) pane.scrollTop = Math.max(0, cy - vh / 2);
    render();
    return { x: cx, y: cy };
  }

  function at(ev) {
    var rect = canvas.getBoundingClientRect();
    var x = Math.floor((ev.clientX - rect.left + geo.sx - geo.left) / geo.cs), y = Math.floor((ev.clientY - rect.top + geo.sy - geo.top) / geo.cs);
    if (x < 0 || y < 0 || x >= cols.length || y >= rows.length) return -1;
    return byPair[rows[y] * m.targets.length + cols[x]] - 1;
  }

  function title(i) {
    var s = m.sources[M.s[i]], t = m.targets[M.t[i]];
    return s[0] + '@' + s[1] + ' \\u2192 ' + t[0];
  }

  function show(i) {
    var c = M.detail(i), o = M.o.charAt(i), t = m.targets[M.t[i]];
    panel.innerHTML = '';
    var h = document.createElement('h4');
    h.className = 'o-' + o;
    h.textContent = GLYPH[o] + ' ' + WORD[o];
    panel.appendChild(h);
    [['cell', title(i) + (t[3].length ? ' (' + t[3].join(', ') + ')' : '')],
     ['expected', M.x.charAt(i) === 'R' ? 'must reach' : 'must not reach'],
     ['why', c.reason], ['observed', c.observed], ['probed', c.address], ['reproduce', c.reproduce]
    ].forEach(function (kv) {
      var dt = document.createElement('dt'); dt.textContent = kv[0];
      var dd = document.createElement(kv[0] === 'reproduce' ? 'code' : 'dd'); dd.textContent = kv[1];
      dd.className = 'v-' + kv[0];
      panel.appendChild(dt); panel.appendChild(dd);
    });
  }

  function select(i) {
    state.selected = i;
    draw();
    show(i);
    highlight(i);
  }

  // The path from the source's box to the target's on the topology: the shortest way along the
  // lines, through the target's network when it names one.
  function highlight(i) {
    if (!svg) return;
    svg.querySelectorAll('.on').forEach(function (e) { e.classList.remove('on'); });
    var s = m.sources[M.s[i]], t = m.targets[M.t[i]];
    var from = 'c:' + s[0] + '@' + s[1], goal = t[4];
    var adj = {};
    svg.querySelectorAll('[data-edge]').forEach(function (e) {
      var a = e.getAttribute('data-from'), b = e.getAttribute('data-to');
      (adj[a] = adj[a] || []).push([b, e]); (adj[b] = adj[b] || []).push([a, e]);
    });
    function isGoal(n) { return goal.indexOf('h:') === 0 ? n.indexOf('i:' + goal.slice(2) + '/') === 0 || n.indexOf('n:' + goal.slice(2) + '/') === 0 : n === goal; }
    var via = t[3][0];
    function okFirst(n) { return !via || n === 'n:' + s[1] + '/' + via || n === 'o:' + via; }
    var prev = {}, queue = [from], seen = {}, end = null;
    seen[from] = 1;
    while (queue.length) {
      var n = queue.shift();
      if (n !== from && isGoal(n)) { end = n; break; }
      (adj[n] || []).forEach(function (pair) {
        if (seen[pair[0]] || (n === from && !okFirst(pair[0]))) return;
        seen[pair[0]] = 1; prev[pair[0]] = [n, pair[1]]; queue.push(pair[0]);
      });
    }
    mark(from); mark(goal);
    for (var k = end; k && prev[k]; k = prev[k][0]) { prev[k][1].classList.add('on'); mark(k); }
  }
  function mark(id) {
    if (!id) return;
    var e = svg.querySelector('[data-node="' + id.replace(/"/g, '\\\\"') + '"]');
    if (e) e.classList.add('on');
  }

  canvas.addEventListener('mousemove', function (ev) {
    var i = at(ev);
    if (i < 0) { tip.hidden = true; return; }
    var o = M.o.charAt(i);
    tip.textContent = GLYPH[o] + ' ' + title(i) + ' \\u2014 ' + (M.x.charAt(i) === 'R' ? 'must reach' : 'must not reach') + '; ' + M.detail(i).observed;
    tip.style.left = (ev.pageX + 12) + 'px'; tip.style.top = (ev.pageY + 12) + 'px';
    tip.hidden = false;
  });
  canvas.addEventListener('mouseleave', function () { tip.hidden = true; });
  canvas.addEventListener('click', function (ev) { var i = at(ev); if (i >= 0) select(i); });
  root.querySelectorAll('input[data-host]').forEach(function (box) {
    box.addEventListener('change', function () {
      state.hosts[box.getAttribute('data-host')] = box.checked;
      if (svg) { var n = svg.querySelector('[data-node="h:' + box.getAttribute('data-host') + '"]'); if (n) n.classList.toggle('dim', !box.checked); }
      draw();
    });
  });
  var fit = root.querySelector('button.fit');
  if (fit && svg) fit.addEventListener('click', function () { svg.classList.toggle('fitted'); });
  var net = root.querySelector('select.network');
  if (net) net.addEventListener('change', function () { state.network = net.value; draw(); });
  var prob = root.querySelector('input.problems');
  if (prob) prob.addEventListener('change', function () { state.problems = prob.checked; draw(); });
  root.querySelectorAll('button[data-zoom]').forEach(function (b) {
    b.addEventListener('click', function () { var z = Number(b.getAttribute('data-zoom')); state.zoom = z === 0 ? 1 : Math.max(0.5, Math.min(4, state.zoom * z)); draw(); });
  });
  root.querySelectorAll('[data-cell]').forEach(function (li) {
    li.addEventListener('click', function () { var i = Number(li.getAttribute('data-cell')); select(i); reveal(i); canvas.scrollIntoView({ block: 'nearest' }); });
  });
  draw();
  api.sections.push({
    cells: M.n,
    /** Where cell i is on the page (its centre), for a test that clicks it like a person. */
    locate: function (i) {
      var c = reveal(i);
      if (!c) return null;
      canvas.scrollIntoView({ block: 'nearest' });
      var rect = canvas.getBoundingClientRect();
      return { x: rect.left + c.x - geo.sx, y: rect.top + c.y - geo.sy };
    },
    find: function (outcome) { var r = []; for (var i = 0; i < M.n; i++) if (M.o.charAt(i) === outcome) r.push(i); return r; },
    select: select
  });
});
})();`;
