import { nameValues } from '@entente/common/i18n/elision.ts';
import { useCallback, useEffect, useId, useState } from 'react';
import { ConfirmDialog } from '../../ui/ConfirmDialog.tsx';
import { Problem } from '../../app/api.ts';
import { type Invitation, personName, SPACE_ROLES, type SpaceMember, type SpaceRole, spacesApi } from './api.ts';
import { DeleteSpaceSection } from './DeleteSpaceSection.tsx';
import { useWorkspaceText } from './text.ts';

interface MembersPanelProps {
  spaceId: string;
  role: SpaceRole;
  myId: string | null;
  act: (change: () => Promise<unknown>, done: string) => Promise<boolean>;
  /** Changes when another agent changed the members: the list is read again. */
  refreshKey?: number;
  /** Called after the agent left the space (they can no longer see it). */
  onLeft: () => void;
}

/**
 * The space's members with their roles. Owners invite by address with a role (the invitation
 * waits for an agent who never signed in), change roles, remove members and cancel pending
 * invitations; any member may leave. The server keeps the last owner from leaving.
 */
export function MembersPanel({ spaceId, role, myId, act, refreshKey = 0, onLeft }: MembersPanelProps) {
  const { w } = useWorkspaceText();
  const [members, setMembers] = useState<SpaceMember[] | null>(null);
  const [invitations, setInvitations] = useState<Invitation[]>([]);
  const [pending, setPending] = useState<SpaceMember | null>(null);
  const owner = role === 'owner';
  const fallback = w('workspace.members.unknownName');

  const load = useCallback(async () => {
    try {
      const answer = await spacesApi.members(spaceId);
      setMembers(answer.members);
      setInvitations(answer.invitations ?? []);
    } catch {
      setMembers([]);
    }
  }, [spaceId]);
  // refreshKey: another agent changed the members (useSpace's live events).
  useEffect(() => {
    void load();
  }, [load, refreshKey]);

  const run = async (change: () => Promise<unknown>, done: string) => {
    const ok = await act(change, done);
    if (ok) await load();
    return ok;
  };

  return (
    <>
    <section aria-labelledby="members-heading" className="ws-members">
      <h2 id="members-heading">{w('workspace.members.heading')}</h2>
      {members === null ? (
        <p>{w('workspace.loading')}</p>
      ) : (
        <ul className="ws-member-list">
          {members.map((member) => (
            <MemberRow
              key={member.principalId}
              member={member}
              name={personName(member, fallback)}
              me={member.principalId === myId}
              owner={owner}
              onRole={(next) =>
                run(() => spacesApi.setRole(spaceId, member.principalId, next), w('workspace.members.roleSaved', { name: personName(member, fallback), role: w(`workspace.role.${next}`) }))
              }
              onRemove={() => setPending(member)}
            />
          ))}
        </ul>
      )}
      {owner && <InviteForm spaceId={spaceId} onInvited={load} act={act} />}
      {owner && invitations.length > 0 && (
        <>
          <h3>{w('workspace.members.invitationsHeading')}</h3>
          <ul className="ws-member-list">
            {invitations.map((invitation) => (
              <li key={invitation.id}>
                <span>{w('workspace.members.invitation', { email: invitation.email, role: w(`workspace.role.${invitation.role}`) })}</span>{' '}
                <button
                  type="button"
                  className="button button-small button-secondary"
                  onClick={() => void run(() => spacesApi.cancelInvitation(spaceId, invitation.id), w('workspace.members.invitationCancelled', { email: invitation.email }))}
                >
                  {w('workspace.members.cancelInvitation', { email: invitation.email })}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <ConfirmDialog
        open={pending !== null}
        title={pending ? (pending.principalId === myId ? w('workspace.members.leaveTitle') : w('workspace.members.removeTitle', { name: personName(pending, fallback) })) : ''}
        text={pending?.principalId === myId ? w('workspace.members.leaveText') : w('workspace.members.removeText')}
        cancelLabel={w('workspace.cancel')}
        confirmLabel={pending?.principalId === myId ? w('workspace.members.leaveConfirm') : w('workspace.members.removeConfirm')}
        onCancel={() => setPending(null)}
        onConfirm={() => {
          const who = pending;
          setPending(null);
          if (!who) return;
          const leaving = who.principalId === myId;
          void act(
            () => spacesApi.removeMember(spaceId, who.principalId),
            leaving ? w('workspace.members.left') : w('workspace.members.removed', { name: personName(who, fallback) }),
          ).then((ok) => {
            if (ok && leaving) onLeft();
            else if (ok) void load();
          });
        }}
      />
    </section>
    {/* The space's danger zone (owners), kept in its own component; deleted: the page leaves, as after leaving. */}
    {owner && <DeleteSpaceSection spaceId={spaceId} onDeleted={onLeft} />}
    </>
  );
}

function MemberRow(props: {
  member: SpaceMember;
  name: string;
  me: boolean;
  owner: boolean;
  onRole: (role: SpaceRole) => Promise<boolean>;
  onRemove: () => void;
}) {
  const { member, name } = props;
  const { w } = useWorkspaceText();
  const [role, setRole] = useState<SpaceRole>(member.role);
  useEffect(() => setRole(member.role), [member.role]);
  const selectId = useId();
  return (
    <li className="ws-member">
      <span className="ws-member-name">
        {name}
        {props.me && ` ${w('workspace.members.you')}`}
      </span>{' '}
      <span className={`ws-badge ws-badge-${member.jurisdiction.toLowerCase()}`}>
        <span aria-hidden="true">{member.jurisdiction}</span>
        <span className="ws-sr-only">{w(`workspace.jurisdiction.${member.jurisdiction}`)}</span>
      </span>{' '}
      {props.owner ? (
        <form
          className="ws-inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            // Refused (the last owner stepping down): the list shows the role they still have.
            void props.onRole(role).then((ok) => {
              if (!ok) setRole(member.role);
            });
          }}
        >
          <label htmlFor={selectId} className="ws-sr-only">
            {w('workspace.members.roleOf', nameValues(name))}
          </label>
          <select id={selectId} value={role} onChange={(e) => setRole(e.target.value as SpaceRole)}>
            {SPACE_ROLES.map((r) => (
              <option key={r} value={r}>
                {w(`workspace.role.${r}`)}
              </option>
            ))}
          </select>
          <button type="submit" className="button button-small button-secondary" disabled={role === member.role}>
            {w('workspace.members.saveRole', nameValues(name))}
          </button>
        </form>
      ) : (
        <span>{w(`workspace.role.${member.role}`)}</span>
      )}{' '}
      {(props.owner || props.me) && (
        <button type="button" className="button button-small button-danger" onClick={props.onRemove}>
          {props.me ? w('workspace.members.leave') : w('workspace.members.remove', { name })}
        </button>
      )}
    </li>
  );
}

function InviteForm({ spaceId, onInvited, act }: { spaceId: string; onInvited: () => Promise<void>; act: MembersPanelProps['act'] }) {
  const { w, fieldError } = useWorkspaceText();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<SpaceRole>('editor');
  const [emailError, setEmailError] = useState('');
  const id = useId();
  return (
    <form
      className="ws-form ws-invite"
      onSubmit={(event) => {
        event.preventDefault();
        setEmailError('');
        void act(
          async () => {
            try {
              return await spacesApi.invite(spaceId, email.trim(), role);
            } catch (error) {
              if (error instanceof Problem && error.fields.has('email')) setEmailError(fieldError(error.fields.get('email') ?? { code: 'invalid' }));
              throw error;
            }
          },
          w('workspace.members.invited', { email: email.trim() }),
        ).then(async (ok) => {
          if (ok) {
            setEmail('');
            await onInvited();
          }
        });
      }}
    >
      <h3>{w('workspace.members.inviteHeading')}</h3>
      <div className="ws-field">
        <label htmlFor={`${id}-email`}>{w('workspace.members.email')}</label>
        <input
          id={`${id}-email`}
          type="email"
          autoComplete="off"
          value={email}
          required
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? `${id}-email-error` : undefined}
          onChange={(e) => setEmail(e.target.value)}
        />
        {emailError && (
          <p id={`${id}-email-error`} className="ws-field-error">
            {emailError}
          </p>
        )}
      </div>
      <div className="ws-field">
        <label htmlFor={`${id}-role`}>{w('workspace.members.role')}</label>
        <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as SpaceRole)}>
          {SPACE_ROLES.map((r) => (
            <option key={r} value={r}>
              {w(`workspace.role.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button">
        {w('workspace.members.invite')}
      </button>
    </form>
  );
}
