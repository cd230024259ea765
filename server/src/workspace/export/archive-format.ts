import { z } from 'zod';

/**
 * The export archive's format, version 1 (docs/export-format.md). One set of zod schemas is the
 * definition: the exporter's output is typed by it, the importer validates every JSON file of an
 * archive with it, and the manifest's JSON Schema (docs/export-manifest.schema.json) is generated
 * from it (`manifestJsonSchema()`; a test fails if the shipped file drifts).
 *
 * A reader that meets another `format` or a greater `version` refuses the archive: a version
 * changes whenever a reader of the previous one would misread something.
 */
export const FORMAT_NAME = 'entente-export';
export const FORMAT_VERSION = 1;
export const MANIFEST_PATH = 'manifest.json';

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'lower-case UUID');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'lower-case hex SHA-256');
const isoTime = z.iso.datetime();
const count = z.int().min(0);
const jurisdiction = z.enum(['FR', 'QC']);
const spaceRole = z.enum(['owner', 'editor', 'commenter', 'reader']);
/** A path inside the archive (checked further by names.ts's isSafeArchivePath on import). */
const entryPath = z.string().min(1).max(1024);
/**
 * A level id of the classification scale (ENTENTE_CONFIG `aiPolicy.levels`, issue 7), as the
 * columns' check and the configuration spell it. Absent or null: not set. Whether the scale HERE
 * knows it is the importer's check (an archive is refused rather than its label dropped).
 */
const classificationLevel = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a level id of the classification scale')
  .nullable()
  .optional();

const present = z
  .object({
    present: z.literal(true),
    count: count.meta({ description: 'How many (documents, files…) the archive holds in all.' }),
  })
  .strict();
const absent = z
  .object({
    present: z.literal(false),
    reason: z.string().min(1).meta({ description: 'Why it is not in the archive (in English).' }),
  })
  .strict();
const part = z.union([present, absent]);

export const SpaceCountsSchema = z
  .object({
    documents: count,
    trashedDocuments: count,
    documentVersions: count,
    images: count,
    folders: count,
    files: count,
    fileVersions: count,
    fileBytes: count.meta({ description: 'Bytes of the file versions whose content is in the archive.' }),
    members: count,
    auditEvents: count,
    // ── comments (helper C): optional, so archives made before comments still read ──
    comments: count.optional().meta({ description: 'Comment threads of the space’s documents.' }),
    // ── end comments ──
  })
  .strict();

export const ManifestSchema = z
  .object({
    format: z.literal(FORMAT_NAME),
    version: z.literal(FORMAT_VERSION),
    createdAt: isoTime.meta({ description: 'When the export was made (UTC).' }),
    source: z
      .object({
        instanceUrl: z.string().url().meta({ description: 'The public URL of the Entente that made the archive.' }),
        software: z.literal('entente'),
        softwareVersion: z.string().min(1).max(64),
      })
      .strict(),
    scope: z
      .object({
        kind: z.enum(['space', 'organisation']),
        id: uuid.meta({ description: 'The space or organisation exported.' }),
      })
      .strict(),
    encrypted: z.literal(false).meta({ description: 'Archives are plaintext: protecting them is the operator’s responsibility.' }),
    personalData: z
      .object({
        profiles: z.boolean().meta({ description: 'Whether names and email addresses of members are included (organisation exports, own agents only).' }),
        rule: z.string().min(1),
      })
      .strict(),
    organisation: z
      .object({ id: uuid, name: z.string().min(1), path: entryPath.meta({ description: 'Folder of the organisation’s files, ending with /.' }) })
      .strict()
      .nullable(),
    spaces: z.array(
      z
        .object({
          id: uuid,
          name: z.string().min(1),
          jurisdiction,
          path: entryPath.meta({ description: 'Folder of the space’s files, ending with /.' }),
          // ── classification levels (issue 7): optional, so archives made before them still read ──
          classificationLevel: classificationLevel.meta({
            description:
              'The space’s own level on the exporting instance’s classification scale (aiPolicy.levels), as in its space.json; absent or null: not set. An importer refuses a level its own scale does not know.',
          }),
          // ── end classification levels ──
          counts: SpaceCountsSchema,
        })
        .strict(),
    ),
    contents: z
      .object({
        documents: part,
        documentVersions: part,
        images: part,
        files: part,
        members: part,
        audit: part,
        organisation: part,
        comments: part,
        skillsResults: part,
      })
      .strict(),
    entries: z
      .array(
        z
          .object({
            path: entryPath,
            size: count.meta({ description: 'Bytes once uncompressed.' }),
            sha256: sha256.meta({ description: 'SHA-256 of the uncompressed bytes.' }),
          })
          .strict(),
      )
      .meta({ description: 'Every entry of the archive except manifest.json itself.' }),
  })
  .strict()
  .meta({ title: 'Entente export manifest', description: 'manifest.json of an Entente export archive, version 1 (docs/export-format.md).' });

export type Manifest = z.infer<typeof ManifestSchema>;
export type SpaceCounts = z.infer<typeof SpaceCountsSchema>;

/** The JSON Schema of manifest.json (draft 2020-12), as shipped in docs/export-manifest.schema.json. */
export function manifestJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ManifestSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  return { $schema: schema.$schema, $id: 'urn:entente:schema:export-manifest:1', ...schema };
}

// ── the other JSON files of a space folder ────────────────────────────────────────────────────

export const SpaceFileSchema = z
  .object({
    id: uuid,
    name: z.string().min(1).max(200),
    description: z.string().max(2000),
    jurisdiction,
    classification: z.enum(['public', 'internal', 'restricted']),
    /** The space's own level on the classification scale (issue 7); absent or null: not set. */
    classificationLevel, // classification levels (issue 7): absent in archives made before them
    minAssurance: z.enum(['low', 'substantial', 'high']),
    createdBy: uuid,
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .strict();
export type SpaceFile = z.infer<typeof SpaceFileSchema>;

export const MembersFileSchema = z
  .object({
    members: z.array(
      z
        .object({
          principalId: uuid,
          role: spaceRole,
          homeJurisdiction: jurisdiction.nullable(),
          /** Only in an organisation's export, for its own agents (the personal-data rule). */
          profile: z.object({ givenName: z.string(), familyName: z.string(), email: z.string() }).strict().nullable(),
        })
        .strict(),
    ),
  })
  .strict();
export type MembersFile = z.infer<typeof MembersFileSchema>;

const documentVersion = z
  .object({
    id: uuid,
    kind: z.enum(['auto', 'named', 'before_restore']),
    name: z.string().min(1).max(200).nullable(),
    createdBy: uuid.nullable(),
    createdAt: isoTime,
    yjs: entryPath,
  })
  .strict();

// ── comments (helper C): a document's comment threads, in its entry of documents.json ──
/**
 * A thread anchored in the document's text: `anchor` holds two Yjs relative positions (base64 of
 * `Y.encodeRelativePosition`) into the document's exact Yjs state (`yjs`), which an import keeps
 * as is, so anchors still resolve there. Deleted comments are tombstones (empty body).
 */
export const CommentThreadSchema = z
  .object({
    id: uuid,
    anchor: z.object({ start: z.string().min(4).max(512), end: z.string().min(4).max(512) }).strict(),
    quote: z.string().max(1000),
    createdBy: uuid,
    createdAt: isoTime,
    resolvedAt: isoTime.nullable(),
    resolvedBy: uuid.nullable(),
    comments: z.array(
      z
        .object({
          id: uuid,
          authorId: uuid,
          /** Plain text; a mention is the token `<@principal-id>`. */
          body: z.string().max(10_000),
          createdAt: isoTime,
          editedAt: isoTime.nullable(),
          deletedAt: isoTime.nullable(),
          deletedBy: uuid.nullable(),
          reactions: z.array(z.object({ principalId: uuid, emoji: z.enum(['👍', '👎', '❤️', '🎉', '😄', '🤔', '👀', '✅']) }).strict()),
        })
        .strict(),
    ),
  })
  .strict();
export type CommentThreadEntry = z.infer<typeof CommentThreadSchema>;
// ── end comments ──

export const DocumentsFileSchema = z
  .object({
    documents: z.array(
      z
        .object({
          id: uuid,
          parentId: uuid.nullable(),
          position: z.int().min(0),
          title: z.string().min(1).max(300),
          restricted: z.boolean(),
          /** The document's own level (issue 7); absent or null: it inherits its space's. */
          classificationLevel, // classification levels (issue 7): absent in archives made before them
          access: z.array(z.object({ principalId: uuid, role: spaceRole }).strict()),
          createdBy: uuid,
          createdAt: isoTime,
          updatedAt: isoTime,
          trashedAt: isoTime.nullable(),
          trashedBy: uuid.nullable(),
          /** SHA-256 of the ProseMirror JSON derived from the Yjs state (JSON.stringify, as stored). */
          contentHash: sha256,
          markdown: entryPath,
          odt: entryPath,
          yjs: entryPath,
          versions: z.array(documentVersion),
          comments: z.array(CommentThreadSchema).optional(), // comments (helper C): absent in archives made before them
        })
        .strict(),
    ),
  })
  .strict();
export type DocumentsFile = z.infer<typeof DocumentsFileSchema>;

export const ImagesFileSchema = z
  .object({
    images: z.array(
      z
        .object({
          id: uuid,
          documentId: uuid.nullable(),
          contentType: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']),
          size: z.int().min(1).max(10 * 1024 * 1024),
          sha256,
          createdBy: uuid,
          createdAt: isoTime,
          path: entryPath,
        })
        .strict(),
    ),
  })
  .strict();
export type ImagesFile = z.infer<typeof ImagesFileSchema>;

const fileVersion = z
  .object({
    id: uuid,
    number: z.int().min(1),
    size: count,
    contentType: z.string().min(3).max(255),
    sha256,
    status: z.enum(['clean', 'unscanned', 'quarantined']),
    signature: z.string().max(500).nullable(),
    createdBy: uuid.nullable(),
    /** The uploader's organisation (its quota counts the bytes). */
    organisationId: uuid.nullable(),
    createdAt: isoTime,
    restoredFrom: uuid.nullable(),
    /** The entry holding the bytes (shared by versions with the same bytes); null when quarantined. */
    path: entryPath.nullable(),
  })
  .strict();

export const FilesFileSchema = z
  .object({
    items: z.array(
      z
        .object({
          id: uuid,
          kind: z.enum(['folder', 'file']),
          parentId: uuid.nullable(),
          name: z.string().min(1).max(255),
          currentVersionId: uuid.nullable(),
          createdBy: uuid,
          createdAt: isoTime,
          updatedBy: uuid.nullable(),
          updatedAt: isoTime,
          trashedAt: isoTime.nullable(),
          trashedBy: uuid.nullable(),
          trashedWith: uuid.nullable(),
          versions: z.array(fileVersion),
        })
        .strict(),
    ),
  })
  .strict();
export type FilesFile = z.infer<typeof FilesFileSchema>;

export const OrganisationFileSchema = z
  .object({
    id: uuid,
    name: z.string().min(1),
    jurisdiction,
    siret: z.string().nullable(),
    neq: z.string().nullable(),
    emailDomains: z.array(z.string()),
    createdAt: isoTime,
  })
  .strict();

export const TeamsFileSchema = z
  .object({
    teams: z.array(
      z
        .object({
          id: uuid,
          name: z.string(),
          createdAt: isoTime,
          members: z.array(z.object({ principalId: uuid, role: z.enum(['member', 'manager']) }).strict()),
        })
        .strict(),
    ),
  })
  .strict();

export const OrganisationMembersFileSchema = z
  .object({
    members: z.array(
      z
        .object({
          principalId: uuid,
          homeJurisdiction: jurisdiction,
          status: z.enum(['active', 'disabled']),
          roles: z.array(z.enum(['member', 'admin', 'trainer', 'manager'])),
          joinedAt: isoTime,
          profile: z
            .object({ givenName: z.string(), familyName: z.string(), email: z.string(), preferredLanguage: z.string() })
            .strict()
            .nullable(),
        })
        .strict(),
    ),
  })
  .strict();

/** One line of `audit.jsonl`: an audit entry as stored, with its chain fields when the store has them. */
export const AuditLineSchema = z
  .object({
    id: uuid,
    occurredAt: isoTime,
    store: z.string(),
    actorId: uuid.nullable(),
    organisationId: uuid.nullable(),
    action: z.string(),
    resourceType: z.string().nullable(),
    resourceId: z.string().nullable(),
    outcome: z.enum(['success', 'failure', 'denied']),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    chainId: z.string().nullable(),
    seq: z.int().nullable(),
    prevHash: z.string().nullable(),
    hash: z.string().nullable(),
  })
  .strict();
export type AuditLine = z.infer<typeof AuditLineSchema>;
