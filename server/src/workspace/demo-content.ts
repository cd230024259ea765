import * as Y from 'yjs';
import type { Jurisdiction } from '../../../common/src/jurisdiction.ts';
import { DEMO_AGENTS } from '../identity/demo-data.ts';
import type { Stores } from '../platform/db/stores.ts';
import type { Logger } from '../platform/logger.ts';
import { type JSONContent, jsonToYDoc } from './content/ydoc-json.ts';
import { AI, CLOUD_ROADMAP, COLLABORATION, IDENTITY, INFRASTRUCTURE, SKILLS, WELCOME } from './demo-documents.ts';
import { hasStoredContent, insertDocumentIfAbsent } from './documents/documents.repo.ts';
import type { DocumentContent } from './spaces/deps.ts';
import { insertDirectoryEntryIfAbsent, insertMemberIfAbsent, insertSpaceIfAbsent } from './spaces/spaces.repo.ts';
import type { Classification, SpaceRole } from './workspace.tables.ts';

/**
 * Demo spaces and documents (demo mode only), so that `npm start` shows the product at work: a
 * shared space « Coopération France–Québec » in the Québec cell and « Chantier cloud souverain »
 * in the French cell, with the demo agents of both states in different roles. Fixed ids make it
 * idempotent: at each start, what is missing is added and nothing present is touched (a
 * document's content is written only if it has none, so the agents' edits survive restarts).
 */
const [camille, hugo, emilie, olivier] = DEMO_AGENTS as [(typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0], (typeof DEMO_AGENTS)[0]];

interface DemoSpace {
  id: string;
  jurisdiction: Jurisdiction;
  name: string;
  description: string;
  classification: Classification;
  createdBy: string;
  members: [string, SpaceRole][];
  documents: { id: string; title: string; content: JSONContent }[];
}

export const DEMO_SPACES: readonly DemoSpace[] = [
  {
    id: '019ac9f0-0000-7000-8000-0000000e0001',
    jurisdiction: 'QC',
    name: 'Coopération France–Québec',
    description: 'Espace de travail commun pour la mise en œuvre de la déclaration d’intention sur la souveraineté numérique (Paris, 31 mars 2026).',
    classification: 'internal',
    createdBy: camille.id,
    members: [
      [camille.id, 'owner'],
      [emilie.id, 'editor'],
      [hugo.id, 'commenter'],
      [olivier.id, 'reader'],
    ],
    documents: [
      { id: '019ac9f0-0000-7000-8000-0000000d0001', title: 'Bienvenue', content: WELCOME },
      { id: '019ac9f0-0000-7000-8000-0000000d0002', title: 'Environnements de travail et outils collaboratifs', content: COLLABORATION },
      { id: '019ac9f0-0000-7000-8000-0000000d0003', title: 'Identité numérique et interopérabilité', content: IDENTITY },
      { id: '019ac9f0-0000-7000-8000-0000000d0004', title: 'Intelligence artificielle responsable', content: AI },
      { id: '019ac9f0-0000-7000-8000-0000000d0005', title: 'Infrastructures et autonomie stratégique', content: INFRASTRUCTURE },
      { id: '019ac9f0-0000-7000-8000-0000000d0006', title: 'Compétences numériques des agents', content: SKILLS },
    ],
  },
  {
    id: '019ac9f0-0000-7000-8000-0000000e0002',
    jurisdiction: 'FR',
    name: 'Chantier cloud souverain',
    description: 'Suivi de la migration des applications vers un hébergement qualifié SecNumCloud.',
    classification: 'internal',
    createdBy: hugo.id,
    members: [
      [hugo.id, 'owner'],
      [camille.id, 'editor'],
      [olivier.id, 'editor'],
      [emilie.id, 'reader'],
    ],
    documents: [{ id: '019ac9f0-0000-7000-8000-0000000d0101', title: 'Feuille de route', content: CLOUD_ROADMAP }],
  },
];

export async function seedDemoContent(deps: { stores: Stores; content?: DocumentContent; logger: Logger }): Promise<void> {
  for (const space of DEMO_SPACES) {
    const cell = deps.stores.cells[space.jurisdiction].db;
    // Cell first, then the control plane (both idempotent: a start interrupted in between completes at the next).
    await insertSpaceIfAbsent(cell, {
      id: space.id,
      name: space.name,
      description: space.description,
      min_assurance: 'low',
      classification: space.classification,
      created_by: space.createdBy,
    });
    await deps.stores.control.db.transaction().execute(async (trx) => {
      await insertDirectoryEntryIfAbsent(trx, space.id, space.jurisdiction);
      for (const [principalId, role] of space.members) await insertMemberIfAbsent(trx, space.id, principalId, role);
    });
    for (const [position, document] of space.documents.entries()) {
      await insertDocumentIfAbsent(cell, { id: document.id, space_id: space.id, parent_id: null, title: document.title, position, created_by: space.createdBy });
      if (!deps.content || (await hasStoredContent(cell, document.id))) continue;
      const state = Y.encodeStateAsUpdate(jsonToYDoc(document.content));
      await deps.content.initialise({ documentId: document.id, spaceId: space.id, jurisdiction: space.jurisdiction }, state);
    }
  }
  deps.logger.info({ spaces: DEMO_SPACES.length }, 'demo spaces ready');
}
