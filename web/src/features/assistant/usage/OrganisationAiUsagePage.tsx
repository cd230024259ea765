import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Problem } from '../../../app/api.ts';
import { Page } from '../../../app/Page.tsx';
import { organisationPath, PATHS } from '../../../app/routes.ts';
import { loadOrganisationUsage, type OrganisationUsageReport, type Period } from './api.ts';
import { useDashboardText } from './text.ts';
import { PeriodForm, ScrollingTable, SumCells, SumHeaders, TotalRow, UsageReportView } from './UsageTables.tsx';

/**
 * The organisation's use of AI (its administrators): the same summary as « Mon usage de l’IA »
 * plus a table per agent, names read from each agent's home cell by the server.
 */
export function OrganisationAiUsagePage() {
  const { id = '' } = useParams();
  const text = useDashboardText();
  const { d } = text;
  const [period, setPeriod] = useState<Period>({});
  const [report, setReport] = useState<OrganisationUsageReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        const data = await loadOrganisationUsage(id, period, signal);
        if (!signal.aborted) {
          setReport(data);
          setError(null);
        }
      } catch (caught) {
        if (!signal.aborted) setError(caught);
      }
    },
    [id, period],
  );
  useEffect(() => {
    const abort = new AbortController();
    void load(abort.signal);
    return () => abort.abort();
  }, [load]);

  const title = d('aiDashboard.org.title');
  if (error) {
    const status = error instanceof Problem ? error.status : 0;
    return (
      <Page title={title}>
        {status === 401 ? (
          <p className="alert">
            {d('aiDashboard.signedOut')} <Link to={`${PATHS.signIn}?${new URLSearchParams({ retour: location.pathname })}`}>{d('aiDashboard.signIn')}</Link>
          </p>
        ) : (
          <p role="alert" className="alert alert-error">
            {status === 403 ? d('aiDashboard.org.notAllowed') : d('aiDashboard.loadFailed', { reason: text.problem(error) })}
          </p>
        )}
      </Page>
    );
  }
  if (!report) {
    return (
      <Page title={title}>
        <p role="status">{d('aiDashboard.loading')}</p>
      </Page>
    );
  }
  const range = { from: text.day(report.from), to: text.day(report.to) };
  const name = (agent: OrganisationUsageReport['perAgent'][number]) =>
    [agent.givenName, agent.familyName].filter(Boolean).join(' ') || d('aiDashboard.unknownAgent', { id: agent.principalId });
  return (
    <Page title={title} className="admin">
      <p>{d('aiDashboard.org.intro')}</p>
      <p>
        <Link to={organisationPath(id)}>{d('aiDashboard.org.back')}</Link>
      </p>
      <PeriodForm key={`${report.from}/${report.to}`} text={text} period={report} onChange={setPeriod} />
      <UsageReportView text={text} report={report}>
        <ScrollingTable caption={d('aiDashboard.perAgent.caption', range)}>
          <thead>
            <tr>
              <th scope="col">{d('aiDashboard.col.agent')}</th>
              <SumHeaders text={text} />
            </tr>
          </thead>
          <tbody>
            {report.perAgent.map((agent) => (
              <tr key={agent.principalId}>
                <th scope="row">{name(agent)}</th>
                <SumCells text={text} sums={agent} />
              </tr>
            ))}
          </tbody>
          <TotalRow text={text} totals={report.totals} />
        </ScrollingTable>
      </UsageReportView>
    </Page>
  );
}
