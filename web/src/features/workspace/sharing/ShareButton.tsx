import { useState } from 'react';
import { roleAtLeast, type SpaceRole } from '../api.ts';
import { ShareDialog } from './ShareDialog.tsx';
import { useSharingText } from './text.ts';

/**
 * The document page's « Partager » button (owners and editors; the server decides anyway) and
 * the dialog it opens. Mounted with one line in DocumentPage.tsx.
 */
export function ShareButton({ doc, publicAllowed }: { doc: { id: string; title: string; role: SpaceRole; trashedAt: string | null }; publicAllowed: boolean }) {
  const s = useSharingText();
  const [open, setOpen] = useState(false);
  if (!roleAtLeast(doc.role, 'editor') || doc.trashedAt) return null;
  return (
    <div className="ws-share-button">
      <button type="button" className="button button-secondary" aria-haspopup="dialog" onClick={() => setOpen(true)}>
        {s('sharing.button')}
      </button>
      <ShareDialog open={open} onClose={() => setOpen(false)} documentId={doc.id} title={doc.title} role={doc.role} publicAllowed={publicAllowed} />
    </div>
  );
}
