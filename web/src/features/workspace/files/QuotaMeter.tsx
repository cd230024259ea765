import { useId } from 'react';
import type { QuotaUsage, QuotaView } from './files-api.ts';
import { useFilesText } from './text.ts';

/** Used and free storage, for the space and for the agent's organisation, in words and as meters. */
export function QuotaMeter({ quota }: { quota: QuotaView }) {
  const { f } = useFilesText();
  const headingId = useId();
  return (
    <section className="ws-files-quota" aria-labelledby={headingId}>
      <h3 id={headingId}>{f('files.quota.heading')}</h3>
      <QuotaLine label={f('files.quota.space')} usage={quota.space} />
      {quota.organisation && <QuotaLine label={f('files.quota.organisation', { name: quota.organisation.name })} usage={quota.organisation} />}
    </section>
  );
}

function QuotaLine({ label, usage }: { label: string; usage: QuotaUsage }) {
  const { f, size } = useFilesText();
  const id = useId();
  const limit = Math.max(0, usage.limit);
  const used = Math.max(0, usage.used);
  const ratio = limit > 0 ? Math.min(1, used / limit) : 1;
  const free = Math.max(0, limit - used);
  return (
    <div className="ws-files-quota-line">
      <label htmlFor={id}>{label}</label>
      {/* high/optimum: the browser colours a meter near its limit. */}
      <meter id={id} min={0} max={limit || 1} value={Math.min(used, limit || 1)} low={limit * 0.75} high={limit * 0.9} optimum={0}>
        {f('files.quota.usage', { used: size(used), limit: size(limit), percent: ratio })}
      </meter>
      <p className="ws-muted">{f('files.quota.usage', { used: size(used), limit: size(limit), percent: ratio })}</p>
      <p className={free > 0 ? 'ws-muted' : 'ws-files-quota-full'}>{free > 0 ? f('files.quota.free', { free: size(free) }) : f('files.quota.full')}</p>
    </div>
  );
}
