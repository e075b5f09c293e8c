/*
 * Runs in the browser, inlined into the HTML report after uPlot: draws every chart described in the
 * <script type="application/json" id="loadgen-charts"> block (report/html/chart-specs.ts) and marks
 * <body data-charts-drawn="n"> when done. No network, no globals besides uPlot.
 */
(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('loadgen-charts').textContent);
  var plots = [];

  function fmt(v) {
    if (v == null) return '-';
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(0) + 'k';
    if (a >= 1000) return (v / 1e3).toFixed(1) + 'k';
    if (a >= 10 || a === 0) return String(Math.round(v));
    return String(Math.round(v * 100) / 100);
  }

  function pathsFor(style) {
    if (style === 'bars') return uPlot.paths.bars({ size: [0.6, 80] });
    if (style === 'bars-left') return uPlot.paths.bars({ size: [0.35, 50], align: -1 });
    if (style === 'bars-right') return uPlot.paths.bars({ size: [0.35, 50], align: 1 });
    if (style === 'step') return uPlot.paths.stepped({ align: 1 });
    if (style === 'points') return function () { return null; };
    return undefined;
  }

  function seriesOpts(s) {
    var bars = s.style.indexOf('bars') === 0;
    return {
      label: s.label,
      stroke: s.color,
      width: bars ? 1 : 2,
      fill: bars ? s.color + 'b3' : undefined,
      dash: s.style === 'dashed' ? [6, 4] : undefined,
      scale: s.axis === 'y2' ? 'y2' : 'y',
      spanGaps: false,
      paths: pathsFor(s.style),
      points: { show: s.style === 'points' || s.style === 'line-points', size: 7, fill: s.color },
      value: function (u, v) { return fmt(v); },
    };
  }

  function positiveRange(u, min, max) {
    return [0, max > 0 ? max * 1.08 : 1];
  }

  function build(spec, el) {
    var labels = spec.x.labels;
    var categorical = !!labels;
    var n = spec.x.values.length;
    var scales = {
      x: categorical ? { time: false, range: [-0.5, n - 0.5] } : { time: false },
      y: spec.y.log ? { distr: 3 } : { range: positiveRange },
    };
    var axes = [
      {
        label: spec.x.label,
        values: categorical ? function (u, vals) { return vals.map(function (v) { return labels[v] !== undefined && Number.isInteger(v) ? labels[v] : ''; }); } : undefined,
        splits: categorical ? function () { return spec.x.values.slice(); } : undefined,
      },
      { label: spec.y.label, values: function (u, vals) { return vals.map(fmt); }, size: 60 },
    ];
    if (spec.y2) {
      scales.y2 = { range: positiveRange };
      axes.push({ label: spec.y2.label, scale: 'y2', side: 1, grid: { show: false }, values: function (u, vals) { return vals.map(fmt); }, size: 60 });
    }
    var opts = {
      width: Math.max(320, el.clientWidth),
      height: 280,
      scales: scales,
      axes: axes,
      series: [{ label: spec.x.label, value: function (u, v) { return categorical ? labels[v] : fmt(v); } }].concat(spec.series.map(seriesOpts)),
      legend: { live: true },
      cursor: { drag: { x: !categorical, y: false } },
    };
    var data = [spec.x.values].concat(spec.series.map(function (s) { return s.values; }));
    return new uPlot(opts, data, el);
  }

  specs.forEach(function (spec) {
    var el = document.getElementById(spec.id);
    if (el) plots.push({ plot: build(spec, el), el: el });
  });
  window.addEventListener('resize', function () {
    plots.forEach(function (p) { p.plot.setSize({ width: Math.max(320, p.el.clientWidth), height: 280 }); });
  });
  document.body.setAttribute('data-charts-drawn', String(plots.length));
})();
