import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';
import { modelLabel } from '../i18n/format';
import type { LedgerModelRow } from './api';
import type { UsageText } from './messages';

// Only what a stacked bar chart needs (Chart.js is tree-shakable).
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const SERIES = [
  { key: 'inputTokens', label: 'input', color: '#2f5d62' },
  { key: 'outputTokens', label: 'output', color: '#c28a16' },
  { key: 'cacheReadInputTokens', label: 'cacheRead', color: '#a7d7c5' },
  { key: 'cacheWriteInputTokens', label: 'cacheWrite', color: '#9aa5a8' },
] as const;

/**
 * Tokens per model for the chosen period, stacked by kind (input, output, cache read, cache write):
 * the share of cheap cache reads is visible at a glance. The exact figures are in the table below
 * it; the canvas has a text label for screen readers.
 */
export function UsageChart({ rows, u, locale, label }: { rows: LedgerModelRow[]; u: UsageText; locale: string; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar'> | null>(null);

  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        indexAxis: 'y',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: {
            stacked: true,
            beginAtZero: true,
            ticks: { callback: (value) => new Intl.NumberFormat(locale, { notation: 'compact' }).format(Number(value)) },
          },
          y: { stacked: true },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12, font: { size: 11 } } }, tooltip: { mode: 'index' } },
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [locale]);

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    c.data.labels = rows.map((r) => modelLabel(r.modelId) ?? r.modelId);
    c.data.datasets = SERIES.map((s) => ({
      label: u(s.label),
      data: rows.map((r) => r[s.key]),
      backgroundColor: s.color,
      borderWidth: 0,
      barThickness: 18,
    }));
    c.update();
  }, [rows, u]);

  return (
    <div className="usage-chart" style={{ height: `${Math.max(110, 48 + rows.length * 34)}px` }}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
