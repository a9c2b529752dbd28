// Sales by hour of the day and by day over two weeks, drawn by Chart.js (a canvas each), with the same figures
// as a table for screen readers.
import {
  BarElement,
  CategoryScale,
  Chart as ChartJS,
  LinearScale,
  Tooltip,
  type ChartOptions,
} from 'chart.js';
import { Bar } from 'react-chartjs-2';
import type { DayFigures } from '../../../electron/ipc/contract';
import { formatMoney, minorToDecimalString } from '../../lib/money';

ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip);

const major = (amount: number, currency: string) => Number(minorToDecimalString(amount, currency));

function options(currency: string, amounts: number[]): ChartOptions<'bar'> {
  let axis: Intl.NumberFormat;
  try {
    axis = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: currency.toUpperCase(),
      maximumFractionDigits: 0,
    });
  } catch {
    axis = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
  }
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    plugins: {
      legend: { display: false },
      tooltip: {
        callbacks: { label: (ctx) => `Sales: ${formatMoney(amounts[ctx.dataIndex] ?? 0, currency)}` },
      },
    },
    scales: {
      x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 8 } },
      y: { beginAtZero: true, ticks: { precision: 0, callback: (v) => axis.format(Number(v)) } },
    },
  };
}

function ChartTable({
  caption,
  rows,
  currency,
}: {
  caption: string;
  rows: { label: string; count: number; amount: number }[];
  currency: string;
}) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Orders</th>
          <th scope="col">Sales</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.label}>
            <th scope="row">{r.label}</th>
            <td>{r.count}</td>
            <td>{formatMoney(r.amount, currency)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const dayLabel = (day: string) => {
  const [, m, d] = day.split('-');
  return `${Number(m)}/${Number(d)}`;
};

export function SalesCharts({ figures }: { figures: DayFigures }) {
  const c = figures.currency;
  const hours = figures.byHour.map((h) => ({ label: `${String(h.hour).padStart(2, '0')}:00`, ...h }));
  const days = figures.byDay.map((d) => ({ label: dayLabel(d.day), ...d }));
  return (
    <div className="glance-charts">
      <section className="panel glance-chart" aria-labelledby="chart-hour">
        <h2 id="chart-hour">Sales by hour — {figures.day}</h2>
        <div className="glance-chart__canvas">
          <Bar
            aria-label={`Sales by hour on ${figures.day}`}
            role="img"
            data={{
              labels: hours.map((h) => h.label.slice(0, 2)),
              datasets: [
                {
                  data: hours.map((h) => major(h.amount, c)),
                  backgroundColor: '#2f5bd3',
                  borderRadius: 3,
                },
              ],
            }}
            options={options(
              c,
              hours.map((h) => h.amount),
            )}
          />
        </div>
        <ChartTable caption={`Sales by hour on ${figures.day}`} rows={hours} currency={c} />
      </section>
      <section className="panel glance-chart" aria-labelledby="chart-day">
        <h2 id="chart-day">Sales by day — last 14 days</h2>
        <div className="glance-chart__canvas">
          <Bar
            aria-label="Sales by day over the last 14 days"
            role="img"
            data={{
              labels: days.map((d) => d.label),
              datasets: [
                {
                  data: days.map((d) => major(d.amount, c)),
                  backgroundColor: days.map((d, i) => (i === days.length - 1 ? '#2f5bd3' : '#9db3ec')),
                  borderRadius: 3,
                },
              ],
            }}
            options={options(
              c,
              days.map((d) => d.amount),
            )}
          />
        </div>
        <ChartTable caption="Sales by day over the last 14 days" rows={days} currency={c} />
      </section>
    </div>
  );
}
