import { useId, useRef, useState } from 'react';
import { AssistantPanel } from './AssistantPanel.tsx';
import { usePanelText } from './text.ts';

/**
 * The « Assistant » button of a space or document page and the panel it opens below it (a
 * complementary region, not a modal: the agent keeps reading and editing beside it). Escape or
 * the close button closes it and gives the focus back to the button.
 */
export function AssistantButton({ spaceId, documentId }: { spaceId: string; documentId: string | null }) {
  const { t } = usePanelText();
  const [open, setOpen] = useState(false);
  const headingId = useId();
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div className="ap-root">
      <button ref={button} type="button" className="ap-open" aria-expanded={open} aria-controls={open ? panelId : undefined} onClick={() => (open ? close() : setOpen(true))}>
        {t('assistantPanel.open')}
      </button>
      {open && (
        <div id={panelId}>
          <AssistantPanel spaceId={spaceId} documentId={documentId} headingId={headingId} onClose={close} />
        </div>
      )}
    </div>
  );
}
