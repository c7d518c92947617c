// One ECharts instance per element: created on mount, given each new option, resized with its
// element, disposed on unmount. ECharts is loaded on first use, in its own chunk, so the inbox
// does not carry it.
import { useEffect, useRef } from 'preact/hooks';
import type { EChartsCoreOption } from './echarts';

type Instance = ReturnType<(typeof import('./echarts'))['echarts']['init']>;

export function useEChart<T extends HTMLElement>(option: EChartsCoreOption) {
  const ref = useRef<T>(null);
  const chart = useRef<Instance | null>(null);
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let gone = false;
    let resize: ResizeObserver | null = null;
    void import('./echarts').then(({ echarts }) => {
      if (gone) return;
      const instance = echarts.init(el, null, { renderer: 'svg' });
      chart.current = instance;
      instance.setOption(latest.current, { notMerge: true });
      resize = new ResizeObserver(() => instance.resize());
      resize.observe(el);
    });
    return () => {
      gone = true;
      resize?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return ref;
}
