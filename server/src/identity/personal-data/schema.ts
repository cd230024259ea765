import { z } from 'zod';

/**
 * The personal data export (`GET /api/me/export`, docs/personal-data-export.md): everything
 * Entente holds about the signed-in agent, in one JSON document. Québec's right to portability
 * ("a structured, commonly used technological format") and the GDPR's right of access (art. 15).
 *
 * This zod schema is the format's single source: the route serialises through it (a field not
 * declared here is dropped, never leaked), and the JSON Schema in the documentation is generated
 * from it (a test compares them). A change of meaning or a removed field raises `version`.
 *
 * What is not in it, on purpose: secrets and security material (token and session hashes, the
 * identity provider's ID tokens kept for logout, OpenID tokens), other people's data (their
 * names, the addresses of people the agent invited), and content (document text, file bytes:
 * the agent downloads them from the spaces, or an administrator exports a space).
 */
export const PERSONAL_DATA_FORMAT = 'entente.personal-data';
export const PERSONAL_DATA_VERSION = 1;

const iso = z.iso.datetime({ offset: true });
const jurisdiction = z.enum(['FR', 'QC']);
const id = z.string().min(1).max(200);

const profile = z
  .object({
    givenName: z.string(),
    familyName: z.string(),
    email: z.string(),
    emailVerified: z.boolean(),
    preferredLanguage: z.string(),
    organisationId: id.nullable(),
    createdAt: iso,
    updatedAt: iso,
  })
  .describe('The profile kept in the home cell.');

const session = z.object({
  id,
  createdAt: iso,
  lastSeenAt: iso,
  idleExpiresAt: iso,
  absoluteExpiresAt: iso,
  endedAt: iso.nullable(),
  endReason: z.string().nullable(),
  assuranceLevel: z.string().nullable(),
  upstream: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  authMethod: z.string().nullable(),
  upstreamAcr: z.string().nullable(),
});

export const identitySection = z.object({
  profile: profile.nullable(),
  federatedIdentities: z
    .array(z.object({ upstream: z.string(), subject: z.string(), linkedAt: iso, lastSignInAt: iso }))
    .describe('The identity federations this account signs in with, and the identifier each one gives the agent.'),
  sessions: z.array(session).describe('Sessions still kept (live, or ended and not yet purged), with where they came from.'),
  accessTokens: z
    .array(
      z.object({
        id,
        label: z.string(),
        prefix: z.string(),
        scopes: z.array(z.string()),
        createdAt: iso,
        expiresAt: iso,
        lastUsedAt: iso.nullable(),
        revokedAt: iso.nullable(),
      }),
    )
    .describe('Personal access tokens and API keys: metadata only, never the secret.'),
  organisations: z.array(z.object({ id, name: z.string(), jurisdiction, roles: z.array(z.string()), memberSince: iso })),
  teams: z.array(z.object({ id, name: z.string(), organisationId: id, role: z.string(), memberSince: iso })),
  platformRoles: z.array(z.object({ role: z.string(), since: iso })),
  connectedServices: z
    .array(z.object({ clientId: z.string(), name: z.string().nullable(), scopes: z.array(z.string()), claims: z.array(z.string()), givenAt: iso }))
    .describe('Services to which the agent consented to sign in with Entente (Entente as OpenID provider).'),
  credentials: z
    .array(
      z.object({
        id,
        type: z.string(),
        jurisdiction,
        organisationId: id.nullable(),
        issuedAt: iso,
        expiresAt: iso,
        revokedAt: iso.nullable(),
        revokedBy: z.string().nullable(),
      }),
    )
    .describe('Verifiable attestations issued to the agent: metadata only (the attestation itself stays in their browser).'),
});

export const workspaceSection = z.object({
  spaces: z.array(z.object({ id, name: z.string().nullable(), jurisdiction, role: z.string(), memberSince: iso })),
  invitationsReceived: z.array(
    z.object({
      id,
      spaceId: id,
      jurisdiction,
      role: z.string(),
      createdAt: iso,
      expiresAt: iso,
      acceptedAt: iso.nullable(),
      revokedAt: iso.nullable(),
    }),
  ),
  invitationsSent: z
    .array(
      z.object({
        id,
        spaceId: id,
        jurisdiction,
        role: z.string(),
        createdAt: iso,
        expiresAt: iso,
        acceptedAt: iso.nullable(),
        revokedAt: iso.nullable(),
      }),
    )
    .describe('Invitations the agent sent, without the invited addresses (other people’s data).'),
  documents: z
    .array(
      z.object({
        id,
        spaceId: id,
        jurisdiction,
        title: z.string(),
        parentId: id.nullable(),
        createdAt: iso,
        updatedAt: iso,
        trashedAt: iso.nullable(),
      }),
    )
    .describe('Documents the agent created (titles, not content).'),
  documentAccess: z.array(z.object({ documentId: id, spaceId: id, jurisdiction, role: z.string(), grantedAt: iso })),
  documentVersions: z.array(z.object({ id, documentId: id, jurisdiction, kind: z.string(), name: z.string().nullable(), createdAt: iso })),
  images: z.array(
    z.object({ id, spaceId: id, documentId: id.nullable(), jurisdiction, contentType: z.string(), size: z.number().int(), createdAt: iso }),
  ),
  files: z
    .array(
      z.object({
        id,
        spaceId: id,
        jurisdiction,
        kind: z.string(),
        name: z.string(),
        parentId: id.nullable(),
        createdAt: iso,
        trashedAt: iso.nullable(),
      }),
    )
    .describe('Files and folders the agent created (names, not bytes).'),
  fileVersions: z.array(
    z.object({
      id,
      fileId: id,
      spaceId: id,
      jurisdiction,
      number: z.number().int(),
      size: z.number().int(),
      contentType: z.string(),
      status: z.string(),
      signature: z.string().nullable(),
      createdAt: iso,
    }),
  ),
  uploads: z.array(
    z.object({
      id,
      spaceId: id,
      jurisdiction,
      filename: z.string(),
      length: z.number().int(),
      offset: z.number().int(),
      status: z.string(),
      createdAt: iso,
      expiresAt: iso,
    }),
  ),
  comments: z
    .array(
      z.object({
        id,
        threadId: id,
        documentId: id,
        spaceId: id,
        jurisdiction,
        text: z.string(),
        createdAt: iso,
        editedAt: iso.nullable(),
        deletedAt: iso.nullable(),
      }),
    )
    .describe(
      'Comments the agent wrote, on documents they can still read: their own words, a mention of anyone else written as @(autre personne / another person); a deleted comment keeps its dates, its text is gone. Not the quoted passage (the document’s content).',
    ),
  commentReactions: z.array(z.object({ commentId: id, documentId: id, spaceId: id, jurisdiction, emoji: z.string(), createdAt: iso })),
  shareLinks: z
    .array(
      z.object({
        id,
        documentId: id,
        spaceId: id,
        jurisdiction,
        role: z.string(),
        reach: z.string(),
        expiresAt: iso.nullable(),
        allowIndexing: z.boolean(),
        createdAt: iso,
        revokedAt: iso.nullable(),
      }),
    )
    .describe('Share links the agent made: what they open, to whom, until when — never the link itself (only a hash of it is kept).'),
  shareLinksOpened: z
    .array(z.object({ linkId: id, documentId: id, spaceId: id, openedAt: iso }))
    .describe('Share links the agent opened while signed in (each gave them access to a document).'),
  // ── notifications (helper N) ──
  notifications: z
    .array(
      z.object({
        id,
        kind: z.string(),
        spaceId: id,
        documentId: id,
        threadId: id.nullable(),
        commentId: id.nullable(),
        inApp: z.boolean(),
        emailStatus: z.string().nullable(),
        createdAt: iso,
        readAt: iso.nullable(),
      }),
    )
    .describe('Notifications kept for the agent in their home cell: kinds and ids, not the titles or comments (the spaces’ content), nor who acted.'),
  notificationPreferences: z.array(z.object({ kind: z.string(), inApp: z.boolean(), email: z.boolean() })),
  // ── end notifications ──
});

// ── assistant: the agent's conversations, AI usage and logged AI content ──
const assistantSection = z
  .object({
    conversations: z
      .array(
        z.object({
          id,
          spaceId: id,
          jurisdiction,
          documentId: id.nullable(),
          title: z.string(),
          createdAt: iso,
          updatedAt: iso,
          messages: z.array(
            z.object({
              id,
              role: z.enum(['user', 'assistant']),
              mode: z.enum(['generated', 'extractive']).nullable(),
              model: z.string().nullable(),
              content: z.string(),
              citations: z.array(z.object({ n: z.number().int(), documentId: id, title: z.string() })),
              createdAt: iso,
            }),
          ),
        }),
      )
      .describe('The agent’s own assistant conversations, in spaces they may still read (citations of documents they can no longer read left out).'),
    aiUsage: z
      .object({
        truncated: z.boolean().describe('True when there were more requests than one export carries (the most recent are kept).'),
        requests: z.array(
          z.object({
            id,
            createdAt: iso,
            model: z.string(),
            provider: z.string().nullable(),
            providerJurisdiction: z.string().nullable(),
            endpoint: z.string(),
            stream: z.boolean(),
            status: z.number().int(),
            promptTokens: z.number().int(),
            completionTokens: z.number().int(),
            durationMs: z.number().int(),
            ttftMs: z.number().int().nullable(),
            energyWh: z.number(),
            emissionsGco2e: z.number(),
          }),
        ),
      })
      .describe('One line per request to the AI gateway (who, model, tokens, duration, footprint): never the text.'),
    aiContentLog: z
      .array(z.object({ id, createdAt: iso, organisationId: id, model: z.string(), prompt: z.unknown(), answer: z.string().nullable() }))
      .describe('The text of the agent’s AI requests and answers, kept only while their organisation logs content (90 days).'),
  })
  .describe('The assistant: conversations, AI usage and logged AI content.');
// ── end assistant ──

// ── skills: the agent's assessments, answers, target profile and learning path ──
const skillsSection = z
  .object({
    assessments: z.array(
      z.object({
        id,
        status: z.enum(['in_progress', 'completed', 'abandoned']),
        organisationId: id.nullable(),
        frameworkVersion: z.string(),
        startedAt: iso,
        completedAt: iso.nullable(),
        level: z.number().int().nullable(),
        result: z.unknown().describe('Levels overall, per area and per competence, with the estimates and their standard errors'),
        answers: z.array(
          z.object({
            position: z.number().int(),
            itemKey: z.string().nullable().describe('The question’s key in the bank (null if deleted since)'),
            competence: z.string(),
            answer: z.object({ choices: z.array(z.number().int()).optional(), text: z.string().optional() }),
            correct: z.boolean(),
            answeredAt: iso,
          }),
        ),
      }),
    ),
    targetProfileId: z.string().nullable(),
    learningPath: z.array(z.object({ resourceId: z.string(), status: z.enum(['todo', 'in_progress', 'done']), updatedAt: iso })),
  })
  .describe('Digital skills: the agent’s assessments with their answers, chosen target profile and learning-path progress (home cell).');
// ── end skills ──

const auditEvent = z.object({
  store: z.enum(['control', 'FR', 'QC']).describe('Where the event is kept: the control plane or a cell.'),
  id,
  occurredAt: iso,
  action: z.string(),
  outcome: z.string(),
  actor: z.enum(['self', 'other', 'system']).describe('Who acted: the agent, someone else (not named), or Entente itself.'),
  organisationId: id.nullable(),
  resourceType: z.string().nullable(),
  resourceId: z.string().nullable(),
  ip: z.string().nullable().describe('The agent’s own address only; null when someone else acted.'),
  requestId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const personalDataExport = z
  .object({
    format: z.literal(PERSONAL_DATA_FORMAT),
    version: z.literal(PERSONAL_DATA_VERSION),
    generatedAt: iso,
    subject: z.object({ principalId: id, homeJurisdiction: jurisdiction, status: z.string(), createdAt: iso }),
    identity: identitySection,
    workspace: workspaceSection,
    assistant: assistantSection,
    skills: skillsSection,
    auditEvents: z
      .object({
        truncated: z.boolean().describe('True when there were more events than one export carries (the most recent are kept).'),
        events: z.array(auditEvent),
      })
      .describe('Security events the agent did, or that concern their account, in every store.'),
  })
  .describe('Entente — personal data export / export des données personnelles');

export type PersonalDataExport = z.infer<typeof personalDataExport>;
export type IdentitySection = z.infer<typeof identitySection>;
export type WorkspaceSection = z.infer<typeof workspaceSection>;
export type AssistantSection = z.infer<typeof assistantSection>;
export type SkillsSection = z.infer<typeof skillsSection>;
export type AuditEventView = z.infer<typeof auditEvent>;

/** The JSON Schema (draft 2020-12) of the export, as docs/personal-data-export.md publishes it. */
export function personalDataJsonSchema(): Record<string, unknown> {
  return {
    $id: 'urn:entente:schema:personal-data:1',
    ...z.toJSONSchema(personalDataExport, {
      io: 'output',
      target: 'draft-2020-12',
      // `format: date-time` says it (RFC 3339); zod's long equivalent pattern would only bury the schema.
      override: ({ jsonSchema }) => {
        if (jsonSchema.format === 'date-time') delete jsonSchema.pattern;
      },
    }),
  };
}
