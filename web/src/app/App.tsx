import { createContext, lazy, type ReactNode, Suspense, use } from 'react';
import { createBrowserRouter, Route, Routes } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { ConsentPage } from '../features/provider/ConsentPage.tsx';
import { ProfilePage } from '../features/account/ProfilePage.tsx';
import { SessionsPage } from '../features/account/SessionsPage.tsx';
import { ServicesPage } from '../features/account/ServicesPage.tsx';
import { TokensPage } from '../features/account/TokensPage.tsx';
import { OperationsPage } from '../features/operator/OperationsPage.tsx';
import { OrganisationPage } from '../features/organisations/OrganisationPage.tsx';
import { SpacePage } from '../features/workspace/SpacePage.tsx';
import { SpacesPage } from '../features/workspace/SpacesPage.tsx';
import { NotificationsPage } from '../features/notifications/NotificationsPage.tsx'; // notifications (helper N)
import { NOTIFICATIONS_PATH } from '../features/notifications/paths.ts'; // notifications (helper N)
import { SEARCH_PATH } from '../features/search/api.ts'; // full-text search (helper Q)
import { SearchPage } from '../features/search/SearchPage.tsx'; // full-text search (helper Q)
// ── AI usage dashboards and register (helper C) ──
import { AI_USAGE_PATH, ORGANISATION_AI_USAGE_PATH } from '../features/assistant/usage/api.ts';
import { MyAiUsagePage } from '../features/assistant/usage/MyAiUsagePage.tsx';
import { OrganisationAiUsagePage } from '../features/assistant/usage/OrganisationAiUsagePage.tsx';
import { AI_REGISTER_PATH, AiRegisterPage } from '../features/operator/AiRegisterPage.tsx';
// ── end AI usage dashboards and register ──
import { I18nProvider } from './i18n.tsx';
import { Layout } from './Layout.tsx';
import { AccessibilityPage } from './pages/AccessibilityPage.tsx';
import { AreaPage } from './pages/AreaPage.tsx';
import { HomePage } from './pages/HomePage.tsx';
import { LegalPage } from './pages/LegalPage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { DOMAINS, PATHS } from './routes.ts';

// The editor (Tiptap, Yjs) is most of the app's weight: loaded only when a document is opened.
const DocumentPage = lazy(() => import('../features/workspace/DocumentPage.tsx').then((m) => ({ default: m.DocumentPage })));
// Files bring the upload client (tus): loaded when a space's files are opened.
const SpaceFilesPage = lazy(() => import('../features/workspace/files/SpaceFilesPage.tsx').then((m) => ({ default: m.SpaceFilesPage })));
// ── share links (helper S): the page of a link brings the editor too ──
const SharedLinkPage = lazy(() => import('../features/workspace/sharing/SharedLinkPage.tsx').then((m) => ({ default: m.SharedLinkPage })));
// ── end share links ──
// ── digital skills (helper W): its own chunk, loaded when a skills page is opened ──
const SkillsOverviewPage = lazy(() => import('../features/skills/OverviewPage.tsx').then((m) => ({ default: m.OverviewPage })));
const SkillsAssessmentPage = lazy(() => import('../features/skills/AssessmentPage.tsx').then((m) => ({ default: m.AssessmentPage })));
const SkillsResultPage = lazy(() => import('../features/skills/ResultPage.tsx').then((m) => ({ default: m.ResultPage })));
const SkillsTeamsPage = lazy(() => import('../features/skills/TeamsPage.tsx').then((m) => ({ default: m.TeamsPage })));
const SkillsTeamPage = lazy(() => import('../features/skills/TeamDashboardPage.tsx').then((m) => ({ default: m.TeamDashboardPage })));
// ── end digital skills ──
// ── skills authoring: its own chunk ──
const SkillsBankPage = lazy(() => import('../features/skills-authoring/BankPage.tsx').then((m) => ({ default: m.BankPage })));
const SkillsFrameworkPage = lazy(() => import('../features/skills-authoring/FrameworkPage.tsx').then((m) => ({ default: m.FrameworkPage })));
// ── end skills authoring ──
// ── verifiable attestations (issue 9): its own chunk (jose, the SD-JWT code, the QR encoder) ──
const CredentialsHolderPage = lazy(() => import('../features/credentials/HolderPage.tsx').then((m) => ({ default: m.HolderPage })));
const CredentialsVerifierPage = lazy(() => import('../features/credentials/VerifierPage.tsx').then((m) => ({ default: m.VerifierPage })));
// ── end verifiable attestations ──

/**
 * A data router, not <BrowserRouter>: only a data router lets a page hold a navigation until the
 * agent has answered (useBlocker: the skills authoring screens ask before unsaved edits are lost,
 * the browser's Back included). Its one catch-all route renders the <Routes> that App declares.
 */
const DeclaredRoutes = createContext<ReactNode>(null);
function RenderDeclaredRoutes() {
  return use(DeclaredRoutes);
}
const router = createBrowserRouter([{ path: '*', Component: RenderDeclaredRoutes }]);
function DataRouter({ children }: { children: ReactNode }) {
  return (
    <DeclaredRoutes value={children}>
      <RouterProvider router={router} />
    </DeclaredRoutes>
  );
}

/** The web app: the shell around every page, and the routes. */
export function App() {
  return (
    <I18nProvider>
      <DataRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<HomePage />} />
            {DOMAINS.map((domain, index) => (
              <Route key={domain.id} path={domain.path} element={<AreaPage domain={domain} index={index} />} />
            ))}
            <Route path={PATHS.accessibility} element={<AccessibilityPage />} />
            <Route path={PATHS.legal} element={<LegalPage />} />
            <Route path={PATHS.signIn} element={<SignInPage />} />
            <Route path={PATHS.consent} element={<ConsentPage />} />
            <Route path={PATHS.profile} element={<ProfilePage />} />
            <Route path={PATHS.sessions} element={<SessionsPage />} />
            <Route path={PATHS.tokens} element={<TokensPage />} />
            <Route path={PATHS.services} element={<ServicesPage />} />
            <Route path={PATHS.organisation} element={<OrganisationPage />} />
            <Route path={PATHS.operations} element={<OperationsPage />} />
            {/* ── AI usage dashboards and register (helper C) ── */}
            <Route path={AI_USAGE_PATH} element={<MyAiUsagePage />} />
            <Route path={ORGANISATION_AI_USAGE_PATH} element={<OrganisationAiUsagePage />} />
            <Route path={AI_REGISTER_PATH} element={<AiRegisterPage />} />
            {/* ── end AI usage dashboards and register ── */}
            <Route path={PATHS.spaces} element={<SpacesPage />} />
            <Route path={SEARCH_PATH} element={<SearchPage />} /> {/* full-text search (helper Q) */}
            {/* notifications (helper N) */}
            <Route path={NOTIFICATIONS_PATH} element={<NotificationsPage />} />
            <Route path={PATHS.space} element={<SpacePage />} />
            <Route
              path={PATHS.spaceFiles}
              element={
                <Suspense>
                  <SpaceFilesPage />
                </Suspense>
              }
            />
            <Route
              path={PATHS.document}
              element={
                <Suspense>
                  <DocumentPage />
                </Suspense>
              }
            />
            {/* ── share links (helper S) ── */}
            <Route
              path={PATHS.sharedLink}
              element={
                <Suspense>
                  <SharedLinkPage />
                </Suspense>
              }
            />
            {/* ── end share links ── */}
            {/* ── digital skills (helper W) ── */}
            {(
              [
                [PATHS.skills, <SkillsOverviewPage />],
                [PATHS.skillsAssessment, <SkillsAssessmentPage />],
                [PATHS.skillsResult, <SkillsResultPage />],
                [PATHS.skillsTeams, <SkillsTeamsPage />],
                [PATHS.skillsTeam, <SkillsTeamPage />],
              ] as const
            ).map(([path, page]) => (
              <Route key={path} path={path} element={<Suspense>{page}</Suspense>} />
            ))}
            {/* ── end digital skills ── */}
            {/* ── skills authoring ── */}
            <Route path={PATHS.skillsBank} element={<Suspense><SkillsBankPage /></Suspense>} />
            <Route path={PATHS.skillsFramework} element={<Suspense><SkillsFrameworkPage /></Suspense>} />
            {/* ── end skills authoring ── */}
            {/* ── verifiable attestations (issue 9) ── */}
            <Route path={PATHS.credentials} element={<Suspense><CredentialsHolderPage /></Suspense>} />
            <Route path={PATHS.verifier} element={<Suspense><CredentialsVerifierPage /></Suspense>} />
            {/* ── end verifiable attestations ── */}
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </DataRouter>
    </I18nProvider>
  );
}
