import { type FormEvent, type ReactNode, useId, useState } from 'react';
import type { Period, Sums, UsageReport } from './api.ts';
import type { DashboardText } from './text.ts';
import './ai-usage.css';

/**
 * The parts both dashboards share: the period form, the summary figures and the tables per day
 * and per model. Tables have a caption and header cells with their scope (RGAA 5.4–5.7); they
 * scroll sideways on a small screen in a region the keyboard can reach.
 */
const MAX_DAYS = 366;

export function PeriodForm(props: { text: DashboardText; period: { from: string; to: string }; onChange: (period: Period) => void }) {
  const { d } = props.text;
  const id = useId();
  const [from, setFrom] = useState(props.period.from);
  const [to, setTo] = useState(props.period.to);
  const [invalid, setInvalid] = useState(false);
  function submit(event: FormEvent) {
    event.preventDefault();
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
    if (!from || !to || !(days >= 1 && days <= MAX_DAYS)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    props.onChange({ from, to });
  }
  return (
    <form className="ai-usage-period" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{d('aiDashboard.period.legend')}</legend>
        <p id={`${id}-hint`} className="ai-usage-hint">
          {d('aiDashboard.period.hint')}
        </p>
        <div className="ai-usage-period-fields">
          <label htmlFor={`${id}-from`}>{d('aiDashboard.period.from')}</label>
          <input id={`${id}-from`} type="date" value={from} required aria-describedby={`${id}-hint`} aria-invalid={invalid || undefined} onChange={(e) => setFrom(e.target.value)} />
          <label htmlFor={`${id}-to`}>{d('aiDashboard.period.to')}</label>
          <input id={`${id}-to`} type="date" value={to} required aria-describedby={`${id}-hint`} aria-invalid={invalid || undefined} onChange={(e) => setTo(e.target.value)} />
          <button type="submit" className="button button-secondary">
            {d('aiDashboard.period.apply')}
          </button>
        </div>
        <p role="alert" className="ai-usage-alert">
          {invalid ? d('aiDashboard.period.invalid') : ''}
        </p>
      </fieldset>
    </form>
  );
}

export function SummaryFigures(props: { text: DashboardText; totals: Sums }) {
  const { d, count, estimate } = props.text;
  const { totals } = props;
  return (
    <ul className="ai-usage-figures" aria-label={d('aiDashboard.summary.label')}>
      <li>{d('aiDashboard.summary.requests', { count: totals.requests })}</li>
      <li>{d('aiDashboard.summary.tokens', { count: count(totals.promptTokens + totals.completionTokens) })}</li>
      <li>{d('aiDashboard.summary.energy', { value: estimate(totals.energyWh) })}</li>
      <li>{d('aiDashboard.summary.emissions', { value: estimate(totals.emissionsGco2e) })}</li>
    </ul>
  );
}

/** A table that scrolls sideways in a labelled, focusable region. */
export function ScrollingTable(props: { caption: string; children: ReactNode }) {
  const id = useId();
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    <section className="account-table-scroll" aria-labelledby={id} tabIndex={0}>
      <table className="account-table ai-usage-table">
        <caption id={id}>{props.caption}</caption>
        {props.children}
      </table>
    </section>
  );
}

/** The columns of sums, in order, as header cells. */
export function SumHeaders(props: { text: DashboardText }) {
  const { d } = props.text;
  return (
    <>
      <th scope="col">{d('aiDashboard.col.requests')}</th>
      <th scope="col">{d('aiDashboard.col.errors')}</th>
      <th scope="col">{d('aiDashboard.col.promptTokens')}</th>
      <th scope="col">{d('aiDashboard.col.completionTokens')}</th>
      <th scope="col">{d('aiDashboard.col.energy')}</th>
      <th scope="col">{d('aiDashboard.col.emissions')}</th>
    </>
  );
}

export function SumCells(props: { text: DashboardText; sums: Sums }) {
  const { count, estimate } = props.text;
  const { sums } = props;
  return (
    <>
      <td className="ai-usage-number">{count(sums.requests)}</td>
      <td className="ai-usage-number">{count(sums.errors)}</td>
      <td className="ai-usage-number">{count(sums.promptTokens)}</td>
      <td className="ai-usage-number">{count(sums.completionTokens)}</td>
      <td className="ai-usage-number">{estimate(sums.energyWh)}</td>
      <td className="ai-usage-number">{estimate(sums.emissionsGco2e)}</td>
    </>
  );
}

export function TotalRow(props: { text: DashboardText; totals: Sums; extraCells?: number }) {
  return (
    <tfoot>
      <tr>
        <th scope="row">{props.text.d('aiDashboard.total')}</th>
        <SumCells text={props.text} sums={props.totals} />
        {Array.from({ length: props.extraCells ?? 0 }, (_, i) => (
          <td key={i} />
        ))}
      </tr>
    </tfoot>
  );
}

/** Summary, per model and per day: the whole of « Mon usage de l’IA », the start of the organisation's page. */
export function UsageReportView(props: { text: DashboardText; report: UsageReport; children?: ReactNode }) {
  const { text, report } = props;
  const { d } = text;
  const range = { from: text.day(report.from), to: text.day(report.to) };
  if (report.totals.requests === 0) return <p className="ai-usage-empty">{d('aiDashboard.empty')}</p>;
  return (
    <>
      <SummaryFigures text={text} totals={report.totals} />
      {props.children}
      <ScrollingTable caption={d('aiDashboard.perModel.caption', range)}>
        <thead>
          <tr>
            <th scope="col">{d('aiDashboard.col.model')}</th>
            <SumHeaders text={text} />
            <th scope="col">{d('aiDashboard.col.p50Duration')}</th>
            <th scope="col">{d('aiDashboard.col.p50Ttft')}</th>
          </tr>
        </thead>
        <tbody>
          {report.perModel.map((m) => (
            <tr key={m.model}>
              <th scope="row">
                <code>{m.model}</code>
              </th>
              <SumCells text={text} sums={m} />
              <td className="ai-usage-number">{text.seconds(m.p50DurationMs)}</td>
              <td className="ai-usage-number">{text.seconds(m.p50TtftMs)}</td>
            </tr>
          ))}
        </tbody>
        <TotalRow text={text} totals={report.totals} extraCells={2} />
      </ScrollingTable>
      <ScrollingTable caption={d('aiDashboard.perDay.caption', range)}>
        <thead>
          <tr>
            <th scope="col">{d('aiDashboard.col.day')}</th>
            <SumHeaders text={text} />
          </tr>
        </thead>
        <tbody>
          {report.perDay.map((day) => (
            <tr key={day.day}>
              <th scope="row">
                <time dateTime={day.day}>{text.day(day.day)}</time>
              </th>
              <SumCells text={text} sums={day} />
            </tr>
          ))}
        </tbody>
        <TotalRow text={text} totals={report.totals} />
      </ScrollingTable>
      <p className="ai-usage-hint">{d('aiDashboard.footprint')}</p>
    </>
  );
}
