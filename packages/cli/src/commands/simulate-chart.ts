import type { EChartsCoreOption } from 'echarts/core';
import type { SimulateReport } from './simulate.ts';

const PALETTE = ['#8c8c8c', '#8f1d22', '#d4a017', '#1677ff', '#52c41a', '#722ed1', '#13c2c2', '#eb2f96'];
const CLASS_COLOURS = ['#bfbfbf', '#faad14', '#8f1d22', '#1677ff', '#52c41a'];

/**
 * Two panels: above, forecast arrivals per interval (bars) with each plan's open counters (step
 * lines); below, each plan's mean wait per priority class (bars, with the p90 as a marker) and
 * its abandonment (line, right axis). Pure data: the CLI renders it to SVG, a browser could too.
 */
export function simulationChartOption(report: SimulateReport): EChartsCoreOption {
  const planNames = report.plans.map((p) => p.name);
  const classSeries = report.classes.map((cls, i) => ({
    name: `mean wait ${cls}`,
    type: 'bar',
    xAxisIndex: 1,
    yAxisIndex: 2,
    itemStyle: { color: CLASS_COLOURS[i % CLASS_COLOURS.length] },
    label: {
      show: true,
      position: 'top',
      fontSize: 10,
      formatter: ({ value }: { value: number }) => value.toFixed(0),
    },
    data: report.plans.map((p) => round(p.summary.byClass[cls]?.meanWaitS.mean)),
  }));
  const p90Series = report.classes.map((cls, i) => ({
    name: `p90 wait ${cls}`,
    type: 'scatter',
    symbol: 'diamond',
    symbolSize: 9,
    xAxisIndex: 1,
    yAxisIndex: 2,
    itemStyle: { color: CLASS_COLOURS[i % CLASS_COLOURS.length], borderColor: '#222', borderWidth: 1 },
    data: report.plans.map((p) => round(p.summary.byClass[cls]?.p90WaitS.mean)),
  }));
  return {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: 'Noto Sans CJK SC, Noto Sans, Arial, sans-serif' },
    title: [
      {
        text: `Staffing plans compared — ${report.weekday}, ${report.opening}–${report.closing}`,
        subtext: `${report.arrivalsPerDay.toFixed(0)} arrivals a day (mean of ${report.dates.length} date(s)); ${report.replications} simulated days per plan`,
        left: 'center',
        top: 6,
      },
      { text: 'Arrivals and open counters per interval', left: 20, top: 58, textStyle: { fontSize: 13 } },
      {
        text: 'Wait per priority class (bar: mean, ◆: p90) and abandonment',
        left: 20,
        top: 398,
        textStyle: { fontSize: 13 },
      },
    ],
    legend: [
      {
        top: 58,
        right: 20,
        data: ['arrivals', ...planNames],
        textStyle: { fontSize: 11 },
      },
      {
        top: 398,
        right: 20,
        data: [...classSeries.map((s) => s.name), 'abandoned %'],
        textStyle: { fontSize: 11 },
      },
    ],
    grid: [
      { left: 60, right: 60, top: 110, height: 240 },
      { left: 60, right: 60, top: 450, height: 230 },
    ],
    xAxis: [
      { type: 'category', gridIndex: 0, data: report.slots, axisLabel: { fontSize: 10 } },
      { type: 'category', gridIndex: 1, data: planNames },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, name: 'arrivals', minInterval: 1 },
      {
        type: 'value',
        gridIndex: 0,
        name: 'counters',
        minInterval: 1,
        position: 'right',
        splitLine: { show: false },
      },
      { type: 'value', gridIndex: 1, name: 'seconds' },
      {
        type: 'value',
        gridIndex: 1,
        name: 'abandoned %',
        position: 'right',
        min: 0,
        splitLine: { show: false },
      },
    ],
    series: [
      {
        name: 'arrivals',
        type: 'bar',
        xAxisIndex: 0,
        yAxisIndex: 0,
        itemStyle: { color: '#d9d9d9' },
        data: report.arrivals,
      },
      ...report.plans.map((p, i) => ({
        name: p.name,
        type: 'line',
        step: 'end',
        xAxisIndex: 0,
        yAxisIndex: 1,
        symbol: 'none',
        lineStyle: { width: i === 0 ? 3 : 2, type: i === 0 ? 'dashed' : 'solid' },
        itemStyle: { color: PALETTE[i % PALETTE.length] },
        data: p.schedule,
      })),
      ...classSeries,
      ...p90Series,
      {
        name: 'abandoned %',
        type: 'line',
        xAxisIndex: 1,
        yAxisIndex: 3,
        itemStyle: { color: '#333333' },
        label: {
          show: true,
          position: 'top',
          fontSize: 10,
          formatter: ({ value }: { value: number }) => `${value.toFixed(1)}%`,
        },
        data: report.plans.map((p) => round(p.summary.overall.abandonmentRate.mean * 100, 1)),
      },
    ],
  };
}

function round(x: number | undefined, digits = 0): number | null {
  if (x === undefined || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Server-side rendering to an SVG string: echarts' SSR mode needs no browser and no DOM. */
export async function renderSimulationSvg(
  option: EChartsCoreOption,
  width: number,
  height: number,
): Promise<string> {
  const echarts = await import('echarts/core');
  const [{ BarChart, LineChart, ScatterChart }, components, { SVGRenderer }] = await Promise.all([
    import('echarts/charts'),
    import('echarts/components'),
    import('echarts/renderers'),
  ]);
  echarts.use([
    BarChart,
    LineChart,
    ScatterChart,
    components.GridComponent,
    components.LegendComponent,
    components.TitleComponent,
    SVGRenderer,
  ]);
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(option);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
