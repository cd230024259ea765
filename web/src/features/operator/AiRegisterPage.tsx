import { useEffect, useState } from 'react';
import { getJson, Problem } from '../../app/api.ts';
import { Page } from '../../app/Page.tsx';
import { type Period, periodQuery } from '../assistant/usage/api.ts';
import { useDashboardText } from '../assistant/usage/text.ts';
import { PeriodForm, ScrollingTable } from '../assistant/usage/UsageTables.tsx';

/** The register's path in the operators' area. */
export const AI_REGISTER_PATH = '/exploitation/registre-ia';

interface RegisterEntry {
  model: string;
  kind: 'chat' | 'embeddings' | null;
  configured: boolean;
  upstreamModels: string[];
  providers: string[];
  jurisdictions: ('FR' | 'QC')[];
  maxClassifications: string[];
  purposes: string[];
  dataCategories: string[];
  legalBasis: string | null;
  contact: string | null;
  notes: string | null;
  volumes: { requests: number; errors: number; promptTokens: number; completionTokens: number; agents: number; energyWh: number; emissionsGco2e: number };
}

interface AiRegister {
  from: string;
  to: string;
  contact: string | null;
  systems: RegisterEntry[];
  /** Requests refused for a model name that matches no system (kept out of the table). */
  unknownModelRequests: number;
}

/**
 * « Registre des systèmes d’IA » (operators): what the gateway offers or served in the period,
 * with what operators declared of it, and the files to hand over (CSV for a spreadsheet, JSON).
 */
export function AiRegisterPage() {
  const text = useDashboardText();
  const { r } = text;
  const [period, setPeriod] = useState<Period>({});
  const [register, setRegister] = useState<AiRegister | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    const abort = new AbortController();
    getJson<AiRegister>(`/api/admin/ai-register${periodQuery(period)}`, abort.signal)
      .then((data) => {
        setRegister(data);
        setError(null);
      })
      .catch((caught) => {
        if (!abort.signal.aborted) setError(caught);
      });
    return () => abort.abort();
  }, [period]);

  const title = r('aiRegister.title');
  if (error) {
    const status = error instanceof Problem ? error.status : 0;
    return (
      <Page title={title}>
        <p role="alert" className="alert alert-error">
          {status === 401 ? text.d('aiDashboard.signedOut') : status === 403 ? r('aiRegister.notAllowed') : text.d('aiDashboard.loadFailed', { reason: text.problem(error) })}
        </p>
      </Page>
    );
  }
  if (!register) {
    return (
      <Page title={title}>
        <p role="status">{text.d('aiDashboard.loading')}</p>
      </Page>
    );
  }
  // The files of the period shown: the same query as the table.
  const files = periodQuery({ from: register.from, to: register.to });
  const list = (values: readonly string[]) =>
    values.length === 0 ? (
      <em>{r('aiRegister.notDeclared')}</em>
    ) : (
      <ul className="ai-register-list">
        {values.map((value) => (
          <li key={value}>{value}</li>
        ))}
      </ul>
    );
  return (
    <Page title={title} className="admin">
      <p>{r('aiRegister.intro')}</p>
      {register.contact && <p>{r('aiRegister.contact', { contact: register.contact })}</p>}
      <PeriodForm key={`${register.from}/${register.to}`} text={text} period={register} onChange={setPeriod} />
      <section aria-labelledby="ai-register-downloads">
        <h2 id="ai-register-downloads">{r('aiRegister.downloads')}</h2>
        <ul className="ai-register-downloads">
          <li>
            <a className="button" href={`/api/admin/ai-register.csv${files}`} download>
              {r('aiRegister.download.csv')}
            </a>
          </li>
          <li>
            <a className="button button-secondary" href={`/api/admin/ai-register${files}`} download={`entente-ai-register-${register.from}-${register.to}.json`}>
              {r('aiRegister.download.json')}
            </a>
          </li>
        </ul>
        <p className="ai-usage-hint">{r('aiRegister.downloadsHint')}</p>
      </section>
      {register.systems.length === 0 ? (
        <p>{r('aiRegister.none')}</p>
      ) : (
        <ScrollingTable caption={r('aiRegister.caption', { from: text.day(register.from), to: text.day(register.to) })}>
          <thead>
            <tr>
              <th scope="col">{r('aiRegister.col.model')}</th>
              <th scope="col">{r('aiRegister.col.requests')}</th>
              <th scope="col">{r('aiRegister.col.tokens')}</th>
              <th scope="col">{r('aiRegister.col.agents')}</th>
              <th scope="col">{r('aiRegister.col.footprint')}</th>
              <th scope="col">{r('aiRegister.col.where')}</th>
              <th scope="col">{r('aiRegister.col.classification')}</th>
              <th scope="col">{r('aiRegister.col.purposes')}</th>
              <th scope="col">{r('aiRegister.col.dataCategories')}</th>
              <th scope="col">{r('aiRegister.col.legalBasis')}</th>
              <th scope="col">{r('aiRegister.col.contact')}</th>
            </tr>
          </thead>
          <tbody>
            {register.systems.map((s) => (
              <tr key={s.model}>
                <th scope="row">
                  <code>{s.model}</code>
                  {s.kind && <div>{r(`aiRegister.kind.${s.kind}`)}</div>}
                  {!s.configured && <div>{r('aiRegister.retired')}</div>}
                </th>
                <td className="ai-usage-number">{text.count(s.volumes.requests)}</td>
                <td className="ai-usage-number">{text.count(s.volumes.promptTokens + s.volumes.completionTokens)}</td>
                <td className="ai-usage-number">{text.count(s.volumes.agents)}</td>
                <td className="ai-usage-number">{r('aiRegister.footprint', { energy: text.estimate(s.volumes.energyWh), emissions: text.estimate(s.volumes.emissionsGco2e) })}</td>
                <td>
                  {s.providers.join(', ')}
                  {s.jurisdictions.length > 0 && <div>{s.jurisdictions.map((j) => r(`aiRegister.jurisdiction.${j}`)).join(', ')}</div>}
                  {s.upstreamModels.length > 0 && <div>{r('aiRegister.upstream', { names: s.upstreamModels.join(', ') })}</div>}
                </td>
                <td>{s.maxClassifications.join(', ')}</td>
                <td>{list(s.purposes)}</td>
                <td>{list(s.dataCategories)}</td>
                <td>{s.legalBasis ?? <em>{r('aiRegister.notDeclared')}</em>}</td>
                <td>{s.contact ?? <em>{r('aiRegister.notDeclared')}</em>}</td>
              </tr>
            ))}
          </tbody>
        </ScrollingTable>
      )}
      {register.unknownModelRequests > 0 && <p className="ai-usage-hint">{r('aiRegister.unknownModels', { count: register.unknownModelRequests })}</p>}
    </Page>
  );
}
