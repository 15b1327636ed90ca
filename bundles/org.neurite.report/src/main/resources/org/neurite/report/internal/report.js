// Draws every chart of a Neurite report from the JSON in #neurite-charts with Apache ECharts
// (inlined above), as SVG, without animation. Each chart's element gets data-rendered="true" once
// drawn, or data-rendered="error" and data-error with the reason.
(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('neurite-charts').textContent);
  var axisLabel = { fontSize: 10, hideOverlap: true };

  function stackedBars(spec) {
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 90 },
      xAxis: { type: 'category', data: spec.categories, axisLabel: { fontSize: 10, rotate: 35 } },
      yAxis: { type: 'value', name: spec.yName, minInterval: 1 },
      series: spec.series.map(function (s) {
        return { name: s.name, type: 'bar', stack: 'units', data: s.data };
      })
    };
  }

  function heatmap(spec) {
    return {
      title: { text: spec.name, left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { position: 'top' },
      grid: { left: 90, right: 20, top: 40, bottom: 90 },
      xAxis: { type: 'category', data: spec.x, name: 'measured', nameLocation: 'center', nameGap: 28, axisLabel: axisLabel },
      yAxis: { type: 'category', data: spec.y, name: 'ablated', axisLabel: axisLabel },
      visualMap: {
        min: spec.min, max: spec.max === spec.min ? spec.min + 1 : spec.max, calculable: true, orient: 'horizontal',
        left: 'center', bottom: 0, itemHeight: 120, precision: 3,
        inRange: { color: ['#f7fbff', '#6baed6', '#08306b'] }
      },
      series: [{
        type: 'heatmap', data: spec.data,
        label: { show: spec.x.length * spec.y.length <= 64, fontSize: 9, formatter: function (p) {
          return p.value[2] === null ? '' : Number(p.value[2]).toPrecision(3);
        } }
      }]
    };
  }

  function line(spec) {
    return {
      title: { text: spec.name, left: 'center', textStyle: { fontSize: 13 } },
      tooltip: { trigger: 'axis' },
      grid: { left: 70, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'value', name: 'step', minInterval: 1 },
      yAxis: { type: 'value', scale: true },
      series: [{ name: spec.name, type: 'line', showSymbol: spec.data.length <= 50, data: spec.data }]
    };
  }

  var builders = { 'stacked-bars': stackedBars, heatmap: heatmap, line: line };
  Object.keys(specs).forEach(function (id) {
    var element = document.getElementById(id);
    try {
      var spec = specs[id];
      var build = builders[spec.type];
      if (!build) {
        throw new Error('no chart type ' + spec.type);
      }
      var option = build(spec);
      option.animation = false;
      echarts.init(element, null, { renderer: 'svg' }).setOption(option);
      element.setAttribute('data-rendered', 'true');
    } catch (e) {
      element.setAttribute('data-rendered', 'error');
      element.setAttribute('data-error', String(e));
    }
  });
})();
