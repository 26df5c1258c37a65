/* MiniChart: a tiny SVG chart module of bulletin-extract (MIT, no dependencies).
   MiniChart.bars(el, points, {unit})  horizontal bars, one per label (counties)
   MiniChart.line(el, points, {unit})  a line over ordered labels (months)
   points: [{label, value, figure: {text, as_of, issue_date}}]: each point is one figure of a bulletin
   (service/chart.py says which); the SVG is drawn at the box's own width so its text stays readable
   on a phone. */
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';

  function node(tag, attrs, text) {
    var n = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, attrs[k]); });
    if (text != null) n.textContent = text;
    return n;
  }

  function niceMax(max) {
    if (!(max > 0)) return 1;
    var step = Math.pow(10, Math.floor(Math.log10(max)));
    var m = max / step;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * step;
  }

  function short(v) {
    var a = Math.abs(v);
    if (a >= 1e8) return +(v / 1e8).toFixed(2) + '亿';
    if (a >= 1e4) return +(v / 1e4).toFixed(2) + '万';
    return (+v.toFixed(2)).toLocaleString('zh-CN');
  }

  function boxWidth(el) {
    return Math.max(300, Math.min(1000, Math.round(el.clientWidth || 1000)));
  }

  function tip(p, unit) {
    var f = p.figure || {};
    return p.label + '：' + short(p.value) + unit + (f.text ? '（原文“' + f.text + '”' + (f.as_of || f.issue_date ? '，' + (f.as_of || f.issue_date) : '') + '）' : '');
  }

  function svg(el, width, height, title) {
    el.textContent = '';
    var s = node('svg', {viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': title});
    s.appendChild(node('title', {}, title));
    el.appendChild(s);
    return s;
  }

  function bars(el, points, opts) {
    opts = opts || {};
    var unit = opts.unit || '', rowH = 30, top = 28, width = boxWidth(el);
    var labelW = Math.min(150, Math.round(width * 0.3)), right = Math.min(90, Math.round(width * 0.2));
    var height = top + points.length * rowH + 16;
    var s = svg(el, width, height, '柱状图：' + points.length + ' 项（' + unit + '）');
    var max = niceMax(Math.max.apply(null, points.map(function (p) { return p.value; }).concat([0])));
    var plotW = width - labelW - right;
    for (var t = 0; t <= 4; t++) {
      var x = labelW + plotW * t / 4;
      s.appendChild(node('line', {'class': 'gridline', x1: x, x2: x, y1: top - 6, y2: height - 10}));
      s.appendChild(node('text', {x: x, y: top - 10, 'text-anchor': 'middle'}, short(max * t / 4)));
    }
    points.forEach(function (p, i) {
      var y = top + i * rowH, w = Math.max(1, plotW * Math.max(p.value, 0) / max);
      s.appendChild(node('text', {x: labelW - 10, y: y + rowH / 2 + 4, 'text-anchor': 'end'}, p.label));
      var bar = node('rect', {'class': 'bar', x: labelW, y: y + 5, width: w, height: rowH - 10, rx: 2});
      bar.appendChild(node('title', {}, tip(p, unit)));
      s.appendChild(bar);
      s.appendChild(node('text', {'class': 'value', x: labelW + w + 6, y: y + rowH / 2 + 4}, short(p.value) + unit));
    });
    s.appendChild(node('line', {'class': 'axis', x1: labelW, x2: labelW, y1: top - 6, y2: height - 10}));
  }

  function line(el, points, opts) {
    opts = opts || {};
    var unit = opts.unit || '', width = boxWidth(el), height = width < 600 ? 260 : 340, left = width < 600 ? 56 : 80;
    var right = width < 600 ? 20 : 40, top = 24, bottom = 50;
    var s = svg(el, width, height, '折线图：' + points.length + ' 个月（' + unit + '）');
    var max = niceMax(Math.max.apply(null, points.map(function (p) { return p.value; }).concat([0])));
    var plotW = width - left - right, plotH = height - top - bottom;
    var n = points.length, pad = 30;
    // months (YYYY-MM) are placed by time, so a gap of a year looks like one; other labels evenly
    var months = points.every(function (p) { return /^\d{4}-\d{2}$/.test(p.key || p.label); });
    var pos = points.map(function (p, i) {
      if (!months) return i;
      var k = (p.key || p.label).split('-');
      return +k[0] * 12 + (+k[1] - 1);
    });
    var span = pos[n - 1] - pos[0];
    function px(i) { return span <= 0 ? left + plotW / 2 : left + pad + (plotW - 2 * pad) * (pos[i] - pos[0]) / span; }
    function py(v) { return top + plotH * (1 - Math.max(v, 0) / max); }
    for (var t = 0; t <= 4; t++) {
      var y = top + plotH * t / 4;
      s.appendChild(node('line', {'class': 'gridline', x1: left, x2: width - right, y1: y, y2: y}));
      s.appendChild(node('text', {x: left - 8, y: y + 4, 'text-anchor': 'end'}, short(max * (4 - t) / 4)));
    }
    s.appendChild(node('line', {'class': 'axis', x1: left, x2: width - right, y1: top + plotH, y2: top + plotH}));
    var every = Math.max(1, Math.ceil(n / 12)), lastLabel = -1e9;
    var d = points.map(function (p, i) { return (i ? 'L' : 'M') + px(i).toFixed(1) + ' ' + py(p.value).toFixed(1); }).join(' ');
    if (n > 1) s.appendChild(node('path', {'class': 'line', d: d}));
    points.forEach(function (p, i) {
      var dot = node('circle', {'class': 'dot', cx: px(i), cy: py(p.value), r: 5});
      dot.appendChild(node('title', {}, tip(p, unit)));
      s.appendChild(dot);
      s.appendChild(node('text', {'class': 'value', x: px(i), y: py(p.value) - 10, 'text-anchor': 'middle'}, short(p.value)));
      if ((i % every === 0 || i === n - 1) && px(i) - lastLabel > 70) {  // no two labels on each other
        s.appendChild(node('text', {x: px(i), y: top + plotH + 22, 'text-anchor': 'middle'}, p.label));
        lastLabel = px(i);
      }
    });
  }

  window.MiniChart = {bars: bars, line: line, niceMax: niceMax};
})();
