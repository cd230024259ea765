import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, usesEmbeddedDatabase } from './config.ts';
import { type Cells, openCells } from './platform/cells/cells.ts';
import { createAuditLog, type AuditLog } from './platform/audit/audit-log.ts';
import { accountedToActorsOrganisation } from './workspace/audit-organisation.ts';
import { registerAuditChains } from './platform/audit/audit-chains.ts'; // tamper-evident audit (helper C)
import { acquireDataDirLock, type DataDirLock, prepareDataDir } from './platform/db/data-dir-lock.ts';
import { migrateStores, openStores, type Stores } from './platform/db/stores.ts';
import { createHttpApp, type App } from './platform/http/app.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { createReadiness } from './platform/readiness.ts';
import { createMalwareScanner } from './platform/scanning/malware-scanner.ts'; // malware scanning (helper E)
import { loadServerSecret } from './platform/secret.ts';
import { can } from './identity/authorization.ts';
import { DEMO_ORGANISATIONS, seedDemoData } from './identity/demo-data.ts';
import { UpstreamClients } from './identity/federation/oidc-clients.ts';
import { registerDemoIdps } from './identity/federation/demo-idps/index.ts';
import { federationRoutes } from './identity/federation/routes.ts';
import { accountsChanged, registerOpenIdProvider } from './identity/provider/index.ts';
import { configuredUpstreams, demoClientSecret } from './identity/federation/upstream.ts';
import { registerIdentityOutboxHandlers } from './identity/provision-agent.ts';
import { registerSessionPurge } from './identity/session-purge.ts';
import { createEventBus, type EventBus } from './platform/events/index.ts';
import { JobRunner, OutboxRegistry, registerOutboxReconciliation } from './platform/jobs/index.ts';
import { createMailer, type Mailer, purgeDemoOutbox, registerDemoOutboxPage } from './platform/mail/index.ts';
import { registerSessionResolution } from './identity/http-session.ts';
import { identityRoutes } from './identity/routes.ts';
import { applyConfiguredOperators } from './identity/operators.ts';
import { organisationRoutes } from './identity/organisation-routes.ts';
import { registerLeavingJobs } from './identity/leaving.ts';
import { guardFederatedSignIn } from './identity/sign-in-guard.ts';
import { createSessionService, DEFAULT_SESSION_POLICY, type SessionService } from './identity/sessions.ts';
// ── collaboration (helper B) ──
import { COLLAB_PATH, type CollabAuthenticate, type CollabLimits } from './workspace/collab/collab-server.ts';
import { type CollabService, createCollabService } from './workspace/collab/collab-service.ts';
import { collabRoutes } from './workspace/collab/collab-routes.ts';
import { collabRedisPrefix } from './workspace/collab/scale-out.ts';
// ── end collaboration ──
// ── spaces and documents (helper A) ──
import { SignedInListeners } from './identity/federation/signed-in.ts';
import {
  acceptInvitationsAtSignIn,
  documentRoutes,
  registerInvitationOutboxHandlers,
  registerSpacesOutboxHandlers,
  seedDemoContent,
  spaceRoutes,
  type WorkspaceDeps,
} from './workspace/index.ts';
// ── end spaces ──
// ── history (helper D) ──
import { maybeRecordAutoVersion, registerAutoVersions } from './workspace/versions/auto-versions.ts';
import { versionRoutes } from './workspace/versions/routes.ts';
import { documentAccessEntryRoutes } from './workspace/documents/access-entry-routes.ts'; // one access-list entry (issue 5 review)
// ── end history ──
// ── images of documents (helper E) ──
import { imageRoutes } from './workspace/index.ts';
// ── end images ──
// ── document imports (helper I) ──
import { importRoutes } from './workspace/index.ts';
// ── end document imports ──
// ── files (helper A) ──
import { fileRoutes, type FilesDeps, registerFileJobs, tusRoutes } from './workspace/index.ts';
// ── end files ──
// ── personal data export (helper E) ──
import { personalDataRoutes } from './identity/personal-data/routes.ts';
import { workspacePersonalData } from './workspace/index.ts';
// ── exports (helper E) ──
import { documentExportRoutes } from './workspace/index.ts';
import { spaceEventsRoutes } from './workspace/live/routes.ts';
import type { SpaceStreamLimits } from './workspace/live/space-events.ts';
// ── end exports ──
// ── end personal data ──
// ── space deletion (helper F) ──
import { registerSpaceDeletion, spaceDeletionRoutes } from './workspace/index.ts';
// ── end space deletion ──
// ── organisation deletion (helper O) ──
import { registerOrganisationDeletion } from './identity/organisation-deletion.ts';
import { organisationDeletionRoutes } from './identity/organisation-deletion-routes.ts';
import { organisationSpacesPort } from './workspace/index.ts';
// ── end organisation deletion ──
// ── full-text search (helper Q) ──
import { registerSearchIndexing, scheduleIndex, searchRoutes } from './workspace/index.ts';
import { retrievalRoutes } from './assistant/index.ts'; // assistant retrieval (helper E3)
import { registerPassageEmbeddings } from './assistant/index.ts'; // hybrid retrieval (helper E)
// ── end search ──
// ── notifications (helper N) ──
import { commentExcerpt, notificationRoutes, type NotificationsDeps, registerNotificationJobs } from './workspace/index.ts';
// ── end notifications ──
// ── comments (helper C) ──
import { commentRoutes, notify } from './workspace/index.ts';
// ── end comments ──
// ── share links (helper S) ──
import { sharingRoutes } from './workspace/index.ts';
// ── end share links ──
// ── AI gateway (helper E1) ──
import { aiGatewayRoutes, createGateway } from './assistant/index.ts';
// ── end AI gateway ──
// ── AI quotas & usage (helper A) ──
import { aiSettingsRoutes, createAiUsage, memoryQuotaCounters, redisQuotaCounters, registerContentLogSweep } from './assistant/usage/index.ts';
// ── end AI quotas & usage ──
import { aiRegisterRoutes, usageReportRoutes } from './assistant/index.ts'; // AI usage dashboards and register (helper C)
import { actionsRoutes } from './assistant/index.ts'; // editor AI actions (helper D2)
import { conversationRoutes } from './assistant/index.ts'; // assistant conversations (helper D1)
import { seedDemoResults, seedStarterBank, skillsAuthoringRoutes, skillsPersonalData, skillsRoutes } from './skills/index.ts'; // digital skills (issue 8)
import { certificateClaims } from './skills/index.ts'; // credentials (issue 9): the digital-skills credential's claims
import { registerCredentials } from './identity/credentials/index.ts'; // credentials (issue 9)
import { ownIssuerSide, registerCredentialVerifier } from './identity/credentials/verifier-wiring.ts'; // credential verification (issue 9)
import { assistantPersonalData } from './assistant/index.ts';
import { assistantModelsRoutes, classificationScale, createGatewayPolicy } from './assistant/index.ts'; // classification & residency (helper B)
import { classificationRoutes } from './workspace/index.ts'; // classification labels (helper B)

/**
 * Composition: configuration → platform (lock, stores, services) → modules → HTTP. Used by
 * main.ts (the server), the tests (a real server on a random port) and the benchmarks.
 */
export interface EntenteOptions {
  config: Config;
  logger?: Logger;
  /** Built web app to serve; defaults to web/dist when it exists. null: API only. */
  webDist?: string | null;
  collabAuthenticate?: CollabAuthenticate;
  /** Tests only: lower collaboration limits (connections per document, document size). */
  collabLimits?: Partial<CollabLimits>;
  /** Benchmarks and tests: other limits for space pages' event streams (streams per agent…). */
  spaceStreamLimits?: Partial<SpaceStreamLimits>;
  /** Run the background job runner (default true). */
  startJobs?: boolean;
}

export interface Entente {
  config: Config;
  app: App;
  stores: Stores;
  cells: Cells;
  audit: AuditLog;
  events: EventBus;
  jobs: JobRunner;
  outbox: OutboxRegistry;
  mailer: Mailer;
  sessions: SessionService;
  /** Document store, /collab endpoint, server-side changes (workspace/collab). */
  collab: CollabService;
  secret: Buffer;
  logger: Logger;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export const DEFAULT_WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');

export async function createEntente(options: EntenteOptions): Promise<Entente> {
  const { config } = options;
  const logger = options.logger ?? createLogger(config);
  const cleanup: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const step of cleanup.reverse()) {
      try {
        await step();
      } catch (error) {
        logger.warn({ err: error }, 'shutdown step failed');
      }
    }
    cleanup.length = 0;
  };

  try {
    prepareDataDir(config.dataDir);
    let lock: DataDirLock | null = null;
    if (usesEmbeddedDatabase(config)) {
      lock = acquireDataDirLock(config.dataDir, 'server');
      cleanup.push(() => lock?.release());
    }
    const secret = loadServerSecret(config);

    const stores = await openStores(config);
    cleanup.push(() => stores.close());
    const applied = await migrateStores(stores);
    for (const { store, applied: names } of applied) {
      if (names.length > 0) logger.info({ store, migrations: names.length }, 'migrations applied');
    }

    const cells = await openCells(config, stores);
    cleanup.push(() => cells.close()); // S3 sockets, HSM sessions (storage, helper D)
    const cellDbs = { FR: stores.cells.FR.db, QC: stores.cells.QC.db };
    const audit = createAuditLog(stores);
    const events = createEventBus(config, logger);
    cleanup.push(() => events.close());
    const mailer = createMailer(config, { cells: cellDbs, logger });
    cleanup.push(() => (mailer as { close?: () => void }).close?.());
    const outbox = new OutboxRegistry();
    registerIdentityOutboxHandlers(outbox, stores);
    registerSpacesOutboxHandlers(outbox, stores); // spaces (helper A)
    registerInvitationOutboxHandlers(outbox, stores); // spaces (helper A)
    const jobs = new JobRunner(stores.control.db, { logger });
    registerOutboxReconciliation(jobs, { cells: cellDbs, registry: outbox, logger });
    registerSessionPurge(jobs, stores, config.session.absoluteMs);
    // The starter item bank ships with Entente (both states' agents take the same test): idempotent.
    await seedStarterBank(stores);
    if (config.demo) {
      await seedDemoData(stores, outbox);
      await seedDemoResults(stores, DEMO_ORGANISATIONS[0].id); // skills: the demo colleagues' results
      jobs.register('platform.demo_outbox.purge', async () => {
        await purgeDemoOutbox(cellDbs);
      });
      jobs.every('platform.demo_outbox.purge', 3_600_000);
    }

    const sessions = createSessionService(stores, audit, {
      ...DEFAULT_SESSION_POLICY,
      idleMs: config.session.idleMs,
      absoluteMs: config.session.absoluteMs,
    }, undefined, (err) => logger.warn({ err }, 'a session-ended listener failed'));

    const webDist = options.webDist === undefined ? (existsSync(path.join(DEFAULT_WEB_DIST, 'index.html')) ? DEFAULT_WEB_DIST : null) : options.webDist;
    const { app } = await createHttpApp({
      config,
      logger,
      readiness: createReadiness(
        stores,
        [
          ...cells.all().flatMap((cell) => [
            { name: `objects ${cell.jurisdiction}`, check: () => cell.objects.check() },
            { name: `keys ${cell.jurisdiction}`, check: () => cell.keys.check() },
          ]),
          {
            name: 'events',
            check: async () => {
              const check = await events.check();
              return { ok: check.ok, detail: `${check.kind}${check.detail ? `: ${check.detail}` : ''}` };
            },
          },
          // malware scanning (helper E): a configured clamd that does not answer fails uploads closed.
          { name: 'malware scanner', check: () => createMalwareScanner(config.scanning).check() },
        ],
      ),
      webDist,
      onProblem: (request, error) => {
        if (error.status !== 403) return;
        // Denials are security events: who tried what, from where.
        void request
          .actor()
          .then((actor) =>
            audit.record({
              action: error.slug === 'csrf' ? 'request.csrf_refused' : 'access.denied',
              outcome: 'denied',
              actorId: actor?.principalId ?? null,
              jurisdiction: actor?.homeJurisdiction ?? null,
              resource: { type: 'route', id: `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}` },
              ip: request.ip,
              requestId: request.id,
            }),
          )
          .catch((err: unknown) => logger.warn({ err }, 'audit of a denial failed'));
      },
    });
    cleanup.push(() => app.close());
    // tamper-evident audit (helper C): signing key file, checkpoint and retention jobs, public keys route
    await registerAuditChains({ app, jobs, stores, config: config.audit, logger });

    if (config.demo) {
      registerDemoOutboxPage(app, {
        cells: cellDbs,
        allow: async (request) => isLoopback(request.ip) || can(await request.actor(), 'platform.operate'),
      });
    }
    registerSessionResolution(app, { config, stores, sessions, secret, events });
    identityRoutes(app, { config, stores, sessions, secret, audit, events });
    organisationRoutes(app, { stores, audit, sessions, events });
    registerLeavingJobs(jobs, { stores, audit, sessions, events });
    await applyConfiguredOperators(stores, audit, config.operators);

    // Sign-in through the upstream federations (and, in demo mode, the two demo providers).
    const upstreams = configuredUpstreams(config, secret);
    if (config.demo) {
      const base = config.publicUrl.href.replace(/\/$/, '');
      const ententeClient = (upstream: string, signedUserinfo: boolean) => ({
        client_id: 'entente',
        client_secret: demoClientSecret(secret),
        redirect_uris: [`${base}/auth/callback/${upstream}`],
        post_logout_redirect_uris: [`${base}/`],
        backchannel_logout_uri: `${base}/auth/backchannel-logout/${upstream}`,
        backchannel_logout_session_required: true,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
        ...(signedUserinfo ? { userinfo_signed_response_alg: 'RS256' } : {}),
      });
      registerDemoIdps(app, {
        publicUrl: () => config.publicUrl,
        clients: { fr: [ententeClient('demo-fr', true)], qc: [ententeClient('demo-qc', false)] },
        keysFile: path.join(config.dataDir, 'demo-idp-keys.json'),
        cookieSecret: secret,
        logger,
      });
    }
    // Other modules act at sign-in (workspace: waiting space invitations) without identity knowing them.
    const signedIn = new SignedInListeners((err) => logger.warn({ err }, 'a signed-in listener failed'));
    // A sign-in rewrites what the federation says of the agent's email: the OpenID provider's cached
    // claims go (identity/provider/account-cache.ts).
    signedIn.add(({ principalId }) => accountsChanged(events, [principalId], (err) => logger.warn({ err }, 'accounts-changed event failed')));
    federationRoutes(app, {
      config,
      stores,
      audit,
      outbox,
      // Disabled agents are refused and designated operators get their role at each sign-in.
      sessions: guardFederatedSignIn(sessions, { stores, audit }),
      clients: new UpstreamClients({ allowHttp: !config.production }),
      upstreams,
      publicUrl: () => config.publicUrl,
      secret,
      signedIn,
    });
    // Entente as OpenID provider for other public services (identity/provider/README.md).
    await registerOpenIdProvider(app, { config, stores, cells, audit, sessions, events, jobs, secret, logger, keysCell: config.oidcKeysCell });

    // Workspace events go to the acting agent's organisation's audit chain (audit-organisation.ts).
    const workspaceAudit = accountedToActorsOrganisation(audit, stores);
    // Versions read the live document through the collaboration service (created just below).
    const history = { stores, cells, audit: workspaceAudit, logger, content: () => collab.store, live: () => collab };
    // ── collaboration (helper B): document store, tickets, /collab, re-checks, compaction jobs ──
    const collab = createCollabService({
      stores,
      cells,
      events,
      jobs,
      sessions,
      secret,
      logger,
      audit: workspaceAudit,
      authenticate: options.collabAuthenticate,
      limits: options.collabLimits,
      redis: config.redisUrl ? { redisUrl: config.redisUrl, prefix: collabRedisPrefix(config.publicUrl) } : null,
      // Each compaction is a moment of activity: at most one automatic version per period.
      afterCompaction: (ref) => maybeRecordAutoVersion(history, ref).then(() => undefined),
      afterChangesStored: (ref) => scheduleIndex({ stores, logger }, ref), // full-text search (helper Q)
    });
    cleanup.push(() => collab.close());
    collabRoutes(app, { stores, store: collab.store, ticketKey: collab.ticketKey, audit: workspaceAudit });
    // ── end collaboration ──
    // ── history (helper D): versions API and automatic versions (after compactions, and a sweep job) ──
    versionRoutes(app, history);
    registerAutoVersions(jobs, history);
    // ── end history ──
    // ── spaces and documents (helper A): routes, invitations matched at sign-in, demo content ──
    const workspaceDeps: WorkspaceDeps = {
      stores,
      audit: workspaceAudit,
      events,
      outbox,
      mailer,
      secret,
      publicUrl: () => config.publicUrl,
      federatedDomains: () => upstreams.flatMap((upstream) => upstream.emailDomains),
      logger,
      content: () => collab.store,
    };
    spaceRoutes(app, workspaceDeps);
    documentRoutes(app, workspaceDeps);
    documentAccessEntryRoutes(app, workspaceDeps); // one entry added to a restricted document's list (comments « share with »)
    signedIn.add(async (event) => {
      await acceptInvitationsAtSignIn(workspaceDeps, event);
    });
    if (config.demo) await seedDemoContent({ stores, content: collab.store, logger });
    // ── end spaces ──
    // ── images of documents (helper E): upload to the space's cell, encrypted; read by members ──
    imageRoutes(app, { stores, cells, audit: workspaceAudit, logger, limits: { spaceQuotaBytes: config.files.spaceQuotaBytes } });
    // ── end images ──
    // ── document imports (helper I): POST /api/spaces/:id/imports, GET /api/imports/:id; runs on this node ──
    const importRunner = importRoutes(app, { stores, cells, audit: workspaceAudit, logger, events, content: () => collab.store, spaceQuotaBytes: config.files.spaceQuotaBytes });
    // Imports in progress end before the databases close (pushed last: runs first).
    cleanup.push(() => importRunner.idle());
    // ── end document imports ──
    // ── files (helper A): files area REST, tus uploads at /api/uploads, trash purge and upload expiry jobs ──
    const scanner = createMalwareScanner(config.scanning);
    const filesDeps: FilesDeps = {
      stores,
      cells,
      audit: workspaceAudit,
      logger,
      scanner,
      events,
      limits: {
        // A file clamd would refuse to read (its StreamMaxLength) is refused before any byte, not after.
        maxFileBytes: scanner.name === 'clamd' ? Math.min(config.files.maxFileBytes, config.scanning.clamd.streamMaxBytes) : config.files.maxFileBytes,
        spaceQuotaBytes: config.files.spaceQuotaBytes,
        organisationQuotaBytes: config.files.organisationQuotaBytes,
      },
    };
    fileRoutes(app, filesDeps);
    tusRoutes(app, filesDeps);
    registerFileJobs(jobs, filesDeps);
    // ── end files ──
    // ── personal data export (helper E): GET /api/me/export, identity's data plus the workspace's part ──
    // The assistant contributes the agent's conversations, AI usage lines and logged AI content.
    personalDataRoutes(app, { stores, audit: workspaceAudit, workspace: workspacePersonalData(stores), assistant: assistantPersonalData({ stores, cells, audit: workspaceAudit }), skills: skillsPersonalData(stores) });
    // ── end personal data ──
    // ── exports (helper E): GET /api/documents/:id/export and /api/spaces/:id/export (PDF, DOCX, ODT, Markdown, HTML) ──
    documentExportRoutes(app, { stores, cells, audit: workspaceAudit, logger, content: () => collab.store, publicUrl: () => config.publicUrl });
    // ── end exports ──
    // Open space pages hear of changes (server-sent events): GET /api/spaces/:id/events.
    spaceEventsRoutes(app, { stores, events, logger, sessions }, options.spaceStreamLimits);
    // ── space deletion (helper F): DELETE /api/spaces/:id, keys destroyed at once, purge job and sweep ──
    const deletionDeps = { ...workspaceDeps, cells };
    cleanup.push(registerSpaceDeletion({ ...deletionDeps, jobs, outbox }));
    spaceDeletionRoutes(app, deletionDeps);
    // ── end space deletion ──
    // ── organisation deletion (helper O): DELETE /api/admin/organisations/:id, its job and sweep ──
    const organisationDeletionDeps = { stores, audit, sessions, events, cells, logger, spaces: organisationSpacesPort(deletionDeps) };
    registerOrganisationDeletion(jobs, organisationDeletionDeps);
    organisationDeletionRoutes(app, organisationDeletionDeps);
    // ── end organisation deletion ──
    // ── full-text search (helper Q): GET /api/search, live indexing after stored changes, catch-up sweep ──
    searchRoutes(app, { stores });
    registerSearchIndexing(jobs, { stores, content: () => collab.store, logger });
    // ── end search ──
    // ── assistant retrieval (helper E3): POST /api/assistant/ask and /api/assistant/summarise, extractive (no model) ──
    retrievalRoutes(app, {
      stores,
      audit: workspaceAudit,
      // ── hybrid retrieval and generated answers (helper E): the gateway is created below (AI gateway) ──
      gateway: () => aiGateway,
      hybrid: () => (config.aiRetrieval.embeddingModel ? { gateway: aiGateway, model: config.aiRetrieval.embeddingModel } : null),
      // ── end hybrid retrieval ──
    });
    // ── end assistant retrieval ──
    // ── assistant conversations (helper D1): /api/assistant/conversations, sealed with the space's key in its cell ──
    conversationRoutes(app, { stores, cells, audit: workspaceAudit });
    // ── end assistant conversations ──
    // ── digital skills (issue 8): framework, adaptive assessments, paths, dashboards, certificates ──
    skillsRoutes(app, { stores, audit: workspaceAudit, logger });
    // ── credentials (issue 9): issuers' keys on first start, issuance, status lists, revocation on leaving ──
    await registerCredentials(app, { stores, cells, audit, events, jobs, logger, publicUrl: config.publicUrl, production: config.production, skillsClaims: (actor, assessmentId) => certificateClaims({ stores, audit: workspaceAudit, logger }, actor, assessmentId) });
    skillsAuthoringRoutes(app, { stores, audit: workspaceAudit });
    // ── credential verification (issue 9): trust list (operators, audited), status lists, the public verifier ──
    const ownIssuers = ownIssuerSide({ cells, events, publicUrl: config.publicUrl });
    cleanup.push(() => ownIssuers.close());
    registerCredentialVerifier(app, { stores, audit, publicUrl: () => config.publicUrl, ...ownIssuers });
    // ── notifications (helper N): in-app list and preferences, mails sent by a job off the request path ──
    // Comments' excerpts are read from the space's cell when shown or mailed (comments, helper C).
    const notificationsDeps: NotificationsDeps = { stores, mailer, logger, publicUrl: () => config.publicUrl, commentExcerpt: commentExcerpt(stores) };
    notificationRoutes(app, notificationsDeps);
    registerNotificationJobs(jobs, notificationsDeps);
    workspaceDeps.documentShared = async (event) => {
      await notify(notificationsDeps, { kind: 'share', ...event });
    };
    // ── end notifications ──
    // ── comments (helper C): threads anchored in documents, replies, reactions; mentions, replies and new threads notified ──
    commentRoutes(app, {
      stores,
      audit: workspaceAudit,
      logger,
      notify: async (event) => {
        await notify(notificationsDeps, event);
      },
    });
    // ── end comments ──
    // ── share links (helper S): /api/documents/:id/share-links, /api/share-links/*, public pages at /p/<token> ──
    sharingRoutes(app, { ...workspaceDeps, cells });
    // ── end share links ──
    // ── AI gateway (helper E1): /ai/v1 over the configured providers; its audit records are written off the request path ──
    // ── classification & residency (helper B): labels of spaces and documents; the gateway's policy ──
    const aiPolicy = createGatewayPolicy({ stores, policy: config.aiPolicy, logger });
    classificationRoutes(app, { stores, audit: workspaceAudit, scale: classificationScale(config.aiPolicy), events, logger });
    // ── end classification & residency ──
    // ── AI quotas & usage (helper A): quotas before the upstream (Redis counters shared by the nodes), usage rows batched off the request path ──
    const aiUsage = createAiUsage({
      stores,
      cells,
      logger,
      quotas: config.aiQuotas,
      counters: config.redisUrl
        ? redisQuotaCounters({ redisUrl: config.redisUrl, prefix: `entente-ai-quota:${config.publicUrl.host}${config.publicUrl.pathname}:`, logger })
        : memoryQuotaCounters(),
    });
    cleanup.push(() => aiUsage.close());
    aiSettingsRoutes(app, { stores, audit, changed: (organisationId) => aiUsage.forget(organisationId) });
    registerContentLogSweep(jobs, stores);
    // ── end AI quotas & usage ──
    const aiGateway = createGateway(config.ai.providers, { audit: workspaceAudit, logger, policy: aiPolicy /* helper B */, usage: aiUsage /* helper A */ });
    cleanup.push(() => aiGateway.flush());
    aiGatewayRoutes(app, { gateway: aiGateway });
    assistantModelsRoutes(app, { gateway: aiGateway, policy: aiPolicy }); // classification & residency (helper B): GET /api/assistant/models
    // ── end AI gateway ──
    // ── hybrid retrieval (helper E): passage embeddings kept in step with the search index, through the gateway ──
    if (config.aiRetrieval.embeddingModel) {
      registerPassageEmbeddings(jobs, { stores, gateway: aiGateway, model: config.aiRetrieval.embeddingModel, logger });
    }
    // ── end hybrid retrieval ──
    // ── AI usage dashboards and register (helper C): sums of ai_usage in both cells; the register is operators' (audited) ──
    usageReportRoutes(app, { stores, audit });
    aiRegisterRoutes(app, { stores, audit, providers: config.ai.providers, register: config.aiRegister });
    // ── end AI usage dashboards and register ──
    // ── editor AI actions (helper D2): summarise, plain language, translate, correct, through the gateway's use case ──
    actionsRoutes(app, { stores, audit: workspaceAudit, gateway: aiGateway, content: () => collab.store /* review fixes (helper R3): the action's text is the document's */ });
    // ── end editor AI actions ──
    app.server.on('upgrade', (req, socket, head) => {
      const pathname = (req.url ?? '').split('?')[0];
      if (pathname === COLLAB_PATH || pathname?.startsWith(`${COLLAB_PATH}/`)) collab.handleUpgrade(req, socket, head);
      else socket.destroy();
    });

    await app.ready();
    if (options.startJobs !== false) {
      jobs.start();
      cleanup.push(() => jobs.stop());
    }

    return {
      config,
      app,
      stores,
      cells,
      audit,
      events,
      jobs,
      outbox,
      mailer,
      sessions,
      collab,
      secret,
      logger,
      async listen() {
        return app.listen({ port: config.port, host: config.host });
      },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

function isLoopback(ip: string): boolean {
  return ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1';
}
