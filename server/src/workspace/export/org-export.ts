import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { JURISDICTIONS } from '../../../../common/src/jurisdiction.ts';
import { auditStores } from '../../platform/audit/audit-stores.ts';
import { exportOrganisation } from '../../platform/audit/export.ts';
import type { AuditSigningKeys } from '../../platform/audit/signing-keys.ts';
import type { Manifest } from './archive-format.ts';
import { ArchiveBuilder } from './archive-writer.ts';
import { ArchiveError, organisationNotFound } from './errors.ts';
import {
  type AuditExportRow,
  findOrganisation,
  findProfiles,
  listLiveSpacesCreatedBy,
  listOrganisationMembers,
  listOrganisationTeams,
  selectOrganisationAuditPage,
} from './export.repo.ts';
import { SiblingNames } from './names.ts';
import { auditLine, type ExportContext, type ExportDeps, type ExportResult, exportPlannedSpace, manifestFor, planSpace, type SpacePlan } from './space-export.ts';

/**
 * `entente export --org ID --out FILE`: an organisation's archive — its public information, its
 * teams (ids and roles), its members with their profiles (read from each one's home cell: the
 * organisation is the controller of its own agents' data), the audit events accounted to it in
 * every store, and every live space created by one of its agents, each as in a space export but
 * with the profiles and IP addresses of the organisation's own agents.
 */
export async function exportOrganisationArchive(
  deps: ExportDeps & { auditSigningKeys?: AuditSigningKeys },
  input: { organisationId: string; out: string; now?: Date },
): Promise<ExportResult> {
  const createdAt = input.now ?? new Date();
  const id = input.organisationId.toLowerCase();
  const control = deps.stores.control.db;
  const organisation = await findOrganisation(control, id);
  if (!organisation) throw organisationNotFound(input.organisationId);
  const members = await listOrganisationMembers(control, id);
  const ownAgents = new Set(members.map((m) => m.principal_id));

  // Every space one of its agents created, in both cells (planned first: links may cross spaces).
  const spaceNames = new SiblingNames('Espace');
  const plans = new Map<string, SpacePlan>();
  for (const j of JURISDICTIONS) {
    for (const space of await listLiveSpacesCreatedBy(deps.stores.cells[j].db, [...ownAgents])) {
      // A space without a directory entry is not visible (an import still running): not exported.
      const plan = await planSpace(deps, space.id, spaceNames).catch((error: unknown) => {
        if (error instanceof ArchiveError && error.code === 'space_not_found') return null;
        throw error;
      });
      if (plan) plans.set(plan.id, plan);
    }
  }
  const ctx: ExportContext = { plans, ownAgents, origins: [deps.publicUrl.origin] };

  const archive = await ArchiveBuilder.create(input.out, createdAt);
  let manifest: Manifest;
  let auditEvents = 0;
  let skills: { agents: number; assessments: number } | null = null;
  try {
    const prefix = 'organisation/';
    await archive.json(`${prefix}organisation.json`, {
      id: organisation.id,
      name: organisation.name,
      jurisdiction: organisation.jurisdiction,
      siret: organisation.siret,
      neq: organisation.neq,
      emailDomains: organisation.email_domains,
      createdAt: new Date(organisation.created_at).toISOString(),
    });
    const { teams, members: teamMembers } = await listOrganisationTeams(control, id);
    await archive.json(`${prefix}teams.json`, {
      teams: teams.map((t) => ({
        id: t.id,
        name: t.name,
        createdAt: new Date(t.created_at).toISOString(),
        members: teamMembers.filter((m) => m.team_id === t.id).map((m) => ({ principalId: m.principal_id, role: m.role })),
      })),
    });
    const profiles = new Map<string, { given_name: string; family_name: string; email: string; preferred_language: string }>();
    for (const j of JURISDICTIONS) for (const p of await findProfiles(deps.stores.cells[j].db, [...ownAgents])) profiles.set(p.principal_id, p);
    await archive.json(`${prefix}members.json`, {
      members: members.map((m) => {
        const p = profiles.get(m.principal_id);
        return {
          principalId: m.principal_id,
          homeJurisdiction: m.home_jurisdiction,
          status: m.status,
          roles: m.roles,
          joinedAt: new Date(m.created_at).toISOString(),
          profile: p ? { givenName: p.given_name, familyName: p.family_name, email: p.email, preferredLanguage: p.preferred_language } : null,
        };
      }),
    });
    // Skills results (skills/archive/): the organisation's own framework and its agents' tests, target profiles and path progress.
    let skillsResults: Manifest['contents']['skillsResults'] = { present: false, reason: 'skills results were not included by this exporter' };
    if (deps.skills) {
      skills = await deps.skills.export({ organisationId: id, members: members.map((m) => ({ principalId: m.principal_id, homeJurisdiction: m.home_jurisdiction })) }, archive);
      skillsResults = { present: true, count: skills.assessments };
    }
    if (deps.auditSigningKeys) {
      // The audit log's own export (platform/audit/export.ts): the organisation's hash chains in
      // every store with signed checkpoints and a signed end line, verifiable with nothing else
      // (`entente audit verify --file`). Lines are streamed into the archive as they come.
      const pass = new PassThrough();
      const producing = exportOrganisation({
        stores: auditStores(deps.stores),
        organisationId: id,
        keys: deps.auditSigningKeys,
        write: async (line) => {
          if (!pass.write(`${line}\n`)) await once(pass, 'drain');
        },
      }).then(
        (result) => {
          pass.end();
          return result;
        },
        (error: unknown) => {
          pass.destroy(error as Error);
          throw error;
        },
      );
      await Promise.all([archive.stream(`${prefix}audit.jsonl`, pass, { compress: true }), producing]);
      auditEvents = (await producing).chains.reduce((n, c) => n + c.entries, 0);
    } else {
      // Without the signing keys (tests, tools): the events accounted to the organisation in every store, with their chain fields.
      const stores = [{ name: 'control', db: control }, ...JURISDICTIONS.map((j) => ({ name: j.toLowerCase(), db: deps.stores.cells[j].db }))];
      async function* lines(): AsyncGenerator<Uint8Array> {
        for (const store of stores) {
          let after: { occurredAt: Date; id: string } | null = null;
          for (;;) {
            const page = await selectOrganisationAuditPage(store.db as never, id, after, 1000);
            if (page.length === 0) break;
            auditEvents += page.length;
            yield Buffer.from(page.map((row) => `${JSON.stringify(auditLine(row, store.name, ctx))}\n`).join(''), 'utf8');
            const last = page.at(-1) as AuditExportRow;
            after = { occurredAt: new Date(last.occurred_at), id: last.id };
          }
        }
      }
      await archive.stream(`${prefix}audit.jsonl`, lines(), { compress: true });
    }

    const spaces = [];
    for (const plan of plans.values()) spaces.push(await exportPlannedSpace(deps, archive, plan, ctx));
    manifest = await archive.finish(manifestFor(deps, { kind: 'organisation', id }, createdAt, { id, name: organisation.name, path: prefix }, spaces, true, skillsResults));
  } catch (error) {
    await archive.abort();
    throw error;
  }
  await deps.audit.record({
    action: 'organisation.exported',
    outcome: 'success',
    organisationId: id,
    resource: { type: 'organisation', id },
    details: {
      spaces: manifest.spaces.length,
      members: members.length,
      auditEvents,
      entries: manifest.entries.length,
      skillsAgents: skills?.agents ?? 0,
      skillsAssessments: skills?.assessments ?? 0,
      by: 'cli',
    },
  });
  return { out: archive.out, manifest, bytes: archive.size };
}
