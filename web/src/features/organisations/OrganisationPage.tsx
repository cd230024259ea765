import { nameValues } from '@entente/common/i18n/elision.ts';
import { fieldIssueMessage } from '@entente/common/field-issue-message.ts';
import type { FieldIssue } from '@entente/common/field-issues.ts';
import { type FormEvent, useCallback, useEffect, useId, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { Page } from '../../app/Page.tsx';
import '../../ui/admin.css';
import { getJson, Problem, send } from '../../app/api.ts';
import { fetchMe } from '../../app/me.ts';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { displayName, type Me, type Member, type Organisation, type OrganisationRole, type Team } from './api.ts';
import { useAdminText } from './text.ts';
import { OrganisationAiUsageLink } from '../assistant/usage/Links.tsx'; // AI usage dashboards (helper C)

const GRANTABLE: readonly OrganisationRole[] = ['admin', 'trainer', 'manager'];

interface Loaded {
  me: Me;
  organisation: Organisation | undefined;
  members: Member[];
  teams: Team[];
}

type Pending = { kind: 'member'; member: Member } | { kind: 'team'; team: Team } | null;

/**
 * « Mon organisation »: members with their roles and teams. Administrators change roles (admin,
 * trainer, manager), remove members, and manage teams; operators grant administrator; members
 * read. What each may do is the server's rule; the page only hides what would be refused.
 */
/** Ids go into change URLs encoded: one read from the address bar must not reshape the path. */
const enc = encodeURIComponent;

export function OrganisationPage() {
  const { id = '' } = useParams();
  const { m, problem } = useAdminText();
  const [data, setData] = useState<Loaded | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  const [pending, setPending] = useState<Pending>(null);

  const load = useCallback(async () => {
    try {
      const [me, organisations, members, teams] = await Promise.all([
        fetchMe<Me>(),
        getJson<{ organisations: Organisation[] }>('/api/organisations'),
        getJson<{ members: Member[] }>(`/api/organisations/${encodeURIComponent(id)}/members`),
        getJson<{ teams: Team[] }>(`/api/organisations/${encodeURIComponent(id)}/teams`),
      ]);
      setData({ me, organisation: organisations.organisations.find((o) => o.id === id), members: members.members, teams: teams.teams });
      setLoadError(null);
    } catch (error) {
      setLoadError(error);
    }
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  /** Runs a change, then reloads; says the outcome in the live regions. */
  const act = async (change: () => Promise<unknown>, done: string): Promise<boolean> => {
    setStatus('');
    setAlert('');
    try {
      await change();
      await load();
      setStatus(done);
      return true;
    } catch (error) {
      setAlert(problem(error));
      return false;
    }
  };

  /**
   * The same, for a form with one field: a refusal that names that field goes back to the form, to
   * be said next to it (answered as the field's issue), not to the alert at the top of the page.
   */
  const actOnField = async (change: () => Promise<unknown>, done: string, field: string): Promise<true | FieldIssue | false> => {
    setStatus('');
    setAlert('');
    try {
      await change();
    } catch (error) {
      const issue = error instanceof Problem ? error.fields.get(field) : undefined;
      if (issue) return issue;
      setAlert(problem(error));
      return false;
    }
    await load();
    setStatus(done);
    return true;
  };

  const title = m('admin.org.title');
  if (loadError) {
    const denied = loadError instanceof Problem && (loadError.status === 403 || loadError.status === 404);
    const signedOut = loadError instanceof Problem && loadError.status === 401;
    return (
      <Page title={title}>
        <p role="alert">{signedOut ? m('admin.signInNeeded') : denied ? m('admin.org.notAllowed') : m('admin.loadFailed', { reason: problem(loadError) })}</p>
      </Page>
    );
  }
  if (!data) {
    return (
      <Page title={title}>
        <p role="status">{m('admin.loading')}</p>
      </Page>
    );
  }

  const myRoles = data.me.organisations.find((o) => o.id === id)?.roles ?? [];
  const isAdmin = myRoles.includes('admin');
  const isOperator = data.me.platformRoles.includes('operator');
  const fallback = m('admin.members.unknownName');
  const nameOf = (principalId: string) => {
    const member = data.members.find((x) => x.principalId === principalId);
    return member ? displayName(member, fallback) : fallback;
  };
  const orgPath = `/api/organisations/${enc(id)}`;
  const mayChange = (member: Member, role: OrganisationRole) =>
    role === 'admin' ? isOperator || (isAdmin && member.principalId !== data.me.principalId) : isAdmin;

  return (
    <Page
      title={title}
      heading={data.organisation?.name ?? title}
      className="admin"
      meta={data.organisation && !data.organisation.confirmed ? <p>{m('admin.org.unconfirmed')}</p> : undefined}
    >
      <p role="status" aria-live="polite" className="admin-status">
        {status}
      </p>
      <p role="alert" className="admin-alert">
        {alert}
      </p>
      {isAdmin && <OrganisationAiUsageLink organisationId={id} /> /* AI usage dashboards (helper C) */}

      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{m('admin.members.heading')}</h2>
        <ul className="admin-cards">
          {data.members.map((member) => (
            <MemberCard
              key={member.principalId}
              member={member}
              name={displayName(member, fallback)}
              editable={GRANTABLE.some((role) => mayChange(member, role))}
              mayChange={(role) => mayChange(member, role)}
              removable={isAdmin && member.principalId !== data.me.principalId}
              onSave={(roles) =>
                act(
                  () => send('PUT', `${orgPath}/members/${enc(member.principalId)}/roles`, { roles }),
                  m('admin.members.saved', nameValues(displayName(member, fallback))),
                )
              }
              onRemove={() => setPending({ kind: 'member', member })}
            />
          ))}
        </ul>
      </section>

      <section aria-labelledby="teams-heading">
        <h2 id="teams-heading">{m('admin.teams.heading')}</h2>
        {isAdmin && (
          <TeamNameForm
            heading={m('admin.teams.createHeading')}
            label={m('admin.teams.name')}
            hint={m('admin.teams.nameHint')}
            initial=""
            submit={m('admin.teams.create')}
            clearOnSave
            save={(name) => actOnField(() => send('POST', `${orgPath}/teams`, { name }), m('admin.teams.created', { name: name.trim() }), 'name')}
          />
        )}
        {data.teams.length === 0 && <p>{m('admin.teams.none')}</p>}
        <ul className="admin-cards">
          {data.teams.map((team) => (
            <TeamCard
              key={team.id}
              team={team}
              members={data.members}
              nameOf={nameOf}
              editable={isAdmin}
              act={act}
              actOnField={actOnField}
              base={`${orgPath}/teams/${enc(team.id)}`}
              onDelete={() => setPending({ kind: 'team', team })}
            />
          ))}
        </ul>
      </section>

      <ConfirmDialog
        open={pending !== null}
        title={
          pending?.kind === 'member'
            ? m('admin.members.removeTitle', { name: displayName(pending.member, fallback) })
            : pending?.kind === 'team'
              ? m('admin.teams.deleteTitle', { name: pending.team.name })
              : ''
        }
        text={
          pending?.kind === 'member'
            ? m('admin.members.removeText', { name: displayName(pending.member, fallback) })
            : pending?.kind === 'team'
              ? m('admin.teams.deleteText')
              : ''
        }
        cancelLabel={m('admin.cancel')}
        confirmLabel={pending?.kind === 'team' ? m('admin.teams.deleteConfirm') : m('admin.members.removeConfirm')}
        onCancel={() => setPending(null)}
        onConfirm={() => {
          const what = pending;
          setPending(null);
          if (what?.kind === 'member') {
            const name = displayName(what.member, fallback);
            void act(() => send('DELETE', `${orgPath}/members/${enc(what.member.principalId)}`), m('admin.members.removed', { name }));
          } else if (what?.kind === 'team') {
            void act(() => send('DELETE', `${orgPath}/teams/${enc(what.team.id)}`), m('admin.teams.deleted', { name: what.team.name }));
          }
        }}
      />
    </Page>
  );
}

function MemberCard(props: {
  member: Member;
  name: string;
  editable: boolean;
  mayChange: (role: OrganisationRole) => boolean;
  removable: boolean;
  onSave: (roles: OrganisationRole[]) => Promise<boolean>;
  onRemove: () => void;
}) {
  const { member, name } = props;
  const { m } = useAdminText();
  const [roles, setRoles] = useState<OrganisationRole[]>(member.roles);
  useEffect(() => setRoles(member.roles), [member.roles]);
  const headingId = useId();
  const roleNames = member.roles.map((r) => m(`admin.role.${r}`)).join(', ');
  return (
    <li className="admin-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{name}</h3>
      {member.email && <p>{m('admin.members.email', { email: member.email })}</p>}
      {member.status === 'disabled' && <p className="admin-tag">{m('admin.members.disabled')}</p>}
      {member.teams.length > 0 && <p>{m('admin.members.teams', { teams: member.teams.map((t) => t.name).join(', ') })}</p>}
      {props.editable ? (
        <form
          onSubmit={(event: FormEvent) => {
            event.preventDefault();
            void props.onSave(roles);
          }}
        >
          <fieldset>
            <legend>{m('admin.members.rolesOf', nameValues(name))}</legend>
            {GRANTABLE.map((role) => (
              <label key={role} className="admin-check">
                <input
                  type="checkbox"
                  checked={roles.includes(role)}
                  disabled={!props.mayChange(role)}
                  onChange={(event) =>
                    setRoles((current) => (event.target.checked ? [...current, role] : current.filter((r) => r !== role)))
                  }
                />{' '}
                {m(`admin.role.${role}`)}
              </label>
            ))}
          </fieldset>
          <div className="admin-actions">
            <button type="submit" className="button">
              {m('admin.members.save', nameValues(name))}
            </button>
            {props.removable && (
              <button type="button" className="button button-danger" onClick={props.onRemove}>
                {m('admin.members.remove', { name })}
              </button>
            )}
          </div>
        </form>
      ) : (
        <>
          <p>{m('admin.members.roles', { roles: roleNames })}</p>
          {props.removable && (
            <button type="button" className="button button-danger" onClick={props.onRemove}>
              {m('admin.members.remove', { name })}
            </button>
          )}
        </>
      )}
    </li>
  );
}

/**
 * A team's name, to create or rename a team. The server checks it (empty, too long): its refusal is
 * said next to the field, which takes the focus — not at the top of the page, far above. No
 * browser bubble either (noValidate): the browser's own words need not be in the page's language.
 */
function TeamNameForm(props: {
  heading?: string;
  label: string;
  hint?: string;
  initial: string;
  submit: string;
  secondary?: boolean;
  clearOnSave?: boolean;
  save: (name: string) => Promise<true | FieldIssue | false>;
}) {
  const { locale } = useAdminText();
  const [name, setName] = useState(props.initial);
  const [error, setError] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  return (
    <form
      className="admin-inline-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setError('');
        void props.save(name).then((outcome) => {
          if (outcome === true) {
            if (props.clearOnSave) setName('');
          } else if (outcome) {
            setError(fieldIssueMessage(locale, outcome));
            input.current?.focus();
          }
        });
      }}
    >
      {props.heading && <h3>{props.heading}</h3>}
      <label htmlFor={inputId}>{props.label}</label>
      {props.hint && (
        <p id={hintId} className="admin-hint">
          {props.hint}
        </p>
      )}
      <input
        ref={input}
        id={inputId}
        value={name}
        maxLength={100}
        required
        aria-invalid={error ? true : undefined}
        aria-describedby={[props.hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className={props.secondary ? 'button button-secondary' : 'button'}>
        {props.submit}
      </button>
      {error && (
        <p id={errorId} className="admin-field-error">
          {error}
        </p>
      )}
    </form>
  );
}

function TeamCard(props: {
  team: Team;
  members: Member[];
  nameOf: (principalId: string) => string;
  editable: boolean;
  base: string;
  act: (change: () => Promise<unknown>, done: string) => Promise<boolean>;
  actOnField: (change: () => Promise<unknown>, done: string, field: string) => Promise<true | FieldIssue | false>;
  onDelete: () => void;
}) {
  const { team, act, base } = props;
  const { m } = useAdminText();
  const [who, setWho] = useState('');
  const [asManager, setAsManager] = useState(false);
  const headingId = useId();
  const whoId = useId();
  const managerId = useId();
  const candidates = props.members.filter((x) => x.status === 'active' && !team.members.some((t) => t.principalId === x.principalId));
  return (
    <li className="admin-card" aria-labelledby={headingId}>
      <h3 id={headingId}>{team.name}</h3>
      {team.members.length === 0 ? (
        <p>{m('admin.teams.noMembers')}</p>
      ) : (
        <ul className="admin-team-members">
          {team.members.map((tm) => {
            const name = props.nameOf(tm.principalId);
            return (
              <li key={tm.principalId}>
                {name} {tm.role === 'manager' && <span className="admin-tag">{m('admin.teams.managerTag')}</span>}
                {props.editable && (
                  <span className="admin-actions">
                    <button
                      type="button"
                      className="button button-secondary"
                      onClick={() =>
                        void act(
                          () => send('PUT', `${base}/members/${enc(tm.principalId)}`, { role: tm.role === 'manager' ? 'member' : 'manager' }),
                          m('admin.teams.updated', { name: team.name }),
                        )
                      }
                    >
                      {tm.role === 'manager' ? m('admin.teams.makeMember', nameValues(name)) : m('admin.teams.makeManager', { name })}
                    </button>
                    <button
                      type="button"
                      className="button button-secondary"
                      onClick={() => void act(() => send('DELETE', `${base}/members/${enc(tm.principalId)}`), m('admin.teams.updated', { name: team.name }))}
                    >
                      {m('admin.teams.removeMember', { name })}
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {props.editable && (
        <>
          <form
            className="admin-inline-form"
            onSubmit={(event) => {
              event.preventDefault();
              if (!who) return;
              void act(() => send('PUT', `${base}/members/${enc(who)}`, { role: asManager ? 'manager' : 'member' }), m('admin.teams.updated', { name: team.name })).then(
                (ok) => {
                  if (ok) {
                    setWho('');
                    setAsManager(false);
                  }
                },
              );
            }}
          >
            <label htmlFor={whoId}>{m('admin.teams.addWho', { name: team.name })}</label>
            <select id={whoId} value={who} required onChange={(e) => setWho(e.target.value)}>
              <option value="">{m('admin.teams.choose')}</option>
              {candidates.map((c) => (
                <option key={c.principalId} value={c.principalId}>
                  {props.nameOf(c.principalId)}
                </option>
              ))}
            </select>
            <span className="admin-check">
              <input id={managerId} type="checkbox" checked={asManager} onChange={(e) => setAsManager(e.target.checked)} />{' '}
              <label htmlFor={managerId}>{m('admin.teams.asManager')}</label>
            </span>
            <button type="submit" className="button">
              {m('admin.teams.add')}
            </button>
          </form>
          <TeamNameForm
            label={m('admin.teams.renameLabel', { name: team.name })}
            initial={team.name}
            submit={m('admin.teams.rename', { name: team.name })}
            secondary
            save={(name) => props.actOnField(() => send('PATCH', base, { name }), m('admin.teams.renamed', { name: name.trim() }), 'name')}
          />
          <button type="button" className="button button-danger" onClick={props.onDelete}>
            {m('admin.teams.delete', { name: team.name })}
          </button>
        </>
      )}
    </li>
  );
}
