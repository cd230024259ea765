import { useCallback, useState } from 'react';
import { AccountPage } from '../../account/AccountPage.tsx';
import { useLoad } from '../../account/useLoad.ts';
import { loadMyUsage, type Period } from './api.ts';
import { useDashboardText } from './text.ts';
import { PeriodForm, UsageReportView } from './UsageTables.tsx';

/** « Mon usage de l’IA » (account area): the agent's own requests to the AI gateway over a period. */
export function MyAiUsagePage() {
  const text = useDashboardText();
  const [period, setPeriod] = useState<Period>({});
  const load = useCallback((signal: AbortSignal) => loadMyUsage(period, signal), [period]);
  const { loaded } = useLoad(load);
  return (
    <AccountPage title={text.d('aiDashboard.me.title')} loaded={loaded}>
      {(report) => (
        <>
          <p>{text.d('aiDashboard.me.intro')}</p>
          <PeriodForm key={`${report.from}/${report.to}`} text={text} period={report} onChange={setPeriod} />
          <UsageReportView text={text} report={report} />
        </>
      )}
    </AccountPage>
  );
}
