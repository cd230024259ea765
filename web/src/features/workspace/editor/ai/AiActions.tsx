import { problemSentence } from '@entente/common/i18n/problem-sentence.ts';
import type { AiActionsKey } from '@entente/common/i18n/catalog/ai-actions.ts';
import { formatMessage, type MessageValues } from '@entente/common/i18n/format.ts';
import type { Editor, JSONContent } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react';
import { Problem } from '../../../../app/api.ts';
import { useI18n } from '../../../../app/i18n.tsx';
import { useWorkspaceText } from '../../text.ts';
import './ai-actions.css';
import { type AiAction, type AiTarget, runTransform } from './transform-client.ts';

/**
 * The editor's « IA » menu and the review panel of its proposals (issue 7). An action works on the
 * selection (summarise: on the whole document); its answer is a proposal, labelled as generated
 * by an AI from its first word, that the agent accepts, edits then accepts, or rejects. Accepted
 * text enters the document inside the `aiGenerated` mark (ai-generated.ts) until someone marks it
 * as reviewed. Without a model, summarise shows the document's own key sentences, labelled as such.
 * Shown to those who may edit only (LiveEditor renders it for an editable session).
 */
interface MenuItem {
  action: AiAction;
  target?: AiTarget;
  key: AiActionsKey;
}

const ITEMS: MenuItem[] = [
  { action: 'summarise', key: 'aiActions.action.summarise' },
  { action: 'plain-language', key: 'aiActions.action.plain-language' },
  { action: 'correct', key: 'aiActions.action.correct' },
  { action: 'translate', target: 'fr-FR', key: 'aiActions.action.translate.fr-FR' },
  { action: 'translate', target: 'fr-CA', key: 'aiActions.action.translate.fr-CA' },
  { action: 'translate', target: 'en', key: 'aiActions.action.translate.en' },
];

interface Proposal {
  item: MenuItem;
  /** Where the answer goes: the selection it replaces (summarise: where the cursor was). */
  range: { from: number; to: number };
  /** `saving`: waiting until the server has the text just typed, before anything is asked of the model. */
  status: 'saving' | 'streaming' | 'done' | 'error';
  text: string;
  model: string | null;
  redacted: boolean;
  /** Without a model: the document's key sentences (nothing generated). */
  extractive: string[] | null;
  error: string | null;
}

function useAiText() {
  const { locale } = useI18n();
  return (key: AiActionsKey, values?: MessageValues) => formatMessage(locale, key, values);
}

/** The proposal as document content: one paragraph per paragraph of the text, each inside the mark when generated. */
function contentOf(text: string, marks: JSONContent['marks']): JSONContent[] {
  const paragraphs = text
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const run = (p: string): JSONContent => ({ type: 'text', text: p, ...(marks ? { marks } : {}) });
  if (paragraphs.length <= 1) return paragraphs.map(run);
  return paragraphs.map((p) => ({ type: 'paragraph', content: [run(p)] }));
}

export function AiActions({
  editor,
  documentId,
  whenSaved,
}: {
  editor: Editor;
  documentId: string;
  /**
   * Resolves once the server has stored the edits made so far (the collaboration session's
   * acknowledgement): the server checks a selection against the document's stored text, so text
   * typed just before the action must be there first. Rejects when the signal is aborted.
   */
  whenSaved: (signal: AbortSignal) => Promise<void>;
}) {
  const a = useAiText();
  const { locale } = useI18n();
  const { problem } = useWorkspaceText();
  const [open, setOpen] = useState(false);
  const [proposal, setProposal] = useState<Proposal | null>(null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [announce, setAnnounce] = useState('');
  const menuButton = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const abort = useRef<AbortController | null>(null);
  const ids = useId();
  const inAiText = useEditorState({ editor, selector: ({ editor: e }) => e.isActive('aiGenerated') });

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    if (open) menu.current?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [open]);

  const closeMenu = (refocus: boolean) => {
    setOpen(false);
    if (refocus) menuButton.current?.focus();
  };

  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const items = [...(menu.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const index = items.indexOf(document.activeElement as HTMLButtonElement);
    const go = (i: number) => items[(i + items.length) % items.length]?.focus();
    if (event.key === 'ArrowDown') go(index + 1);
    else if (event.key === 'ArrowUp') go(index - 1);
    else if (event.key === 'Home') go(0);
    else if (event.key === 'End') go(items.length - 1);
    else if (event.key === 'Escape' || event.key === 'Tab') {
      if (event.key === 'Escape') event.preventDefault();
      closeMenu(event.key === 'Escape');
      return;
    } else return;
    event.preventDefault();
  };

  const start = (item: MenuItem) => {
    closeMenu(false);
    const { from, to, empty } = editor.state.selection;
    const text = item.action === 'summarise' ? editor.getText({ blockSeparator: '\n\n' }) : editor.state.doc.textBetween(from, to, '\n\n');
    if (item.action !== 'summarise' && (empty || !text.trim())) {
      setAnnounce(a('aiActions.needsSelection'));
      menuButton.current?.focus();
      return;
    }
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setEditing(false);
    setAnnounce('');
    const range = item.action === 'summarise' ? { from: to, to } : { from, to };
    setProposal({ item, range, status: 'saving', text: '', model: null, redacted: false, extractive: null, error: null });
    const update = (change: (p: Proposal) => Proposal) => {
      if (abort.current === controller) setProposal((p) => (p ? change(p) : p));
    };
    // The text just typed may still be on its way to the server, which would then answer that the
    // selection is not in the document (ai_text_not_in_document): it goes once the server has it.
    whenSaved(controller.signal)
      .then(() => {
        update((p) => (p.status === 'saving' ? { ...p, status: 'streaming' } : p));
        return runTransform(
          { documentId, action: item.action, ...(item.target ? { target: item.target } : {}), text },
          {
            onDelta: (piece) => update((p) => ({ ...p, text: p.text + piece })),
            onDone: (done) => update((p) => ({ ...p, status: 'done', model: done.model, redacted: done.redacted })),
            onError: (message) => update((p) => ({ ...p, status: 'error', error: message })),
          },
          controller.signal,
        );
      })
      .then((summary) => {
        if (summary) update((p) => ({ ...p, status: 'done', extractive: summary.sentences.map((s) => s.text) }));
        else update((p) => (p.status === 'streaming' ? { ...p, status: 'done' } : p));
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const message = error instanceof Problem && error.detail ? problemSentence(error.title, error.detail) : problem(error);
        update((p) => ({ ...p, status: 'error', error: message }));
      });
  };

  // The panel takes the focus when it opens: the keyboard is where the proposal is.
  const opened = proposal !== null;
  useEffect(() => {
    if (opened) heading.current?.focus();
  }, [opened]);

  const finish = (message: string) => {
    abort.current?.abort();
    abort.current = null;
    setProposal(null);
    setEditing(false);
    setAnnounce(message);
    editor.commands.focus();
  };

  const accept = () => {
    if (!proposal) return;
    const size = editor.state.doc.content.size;
    const range = { from: Math.min(proposal.range.from, size), to: Math.min(proposal.range.to, size) };
    if (proposal.extractive) {
      editor.chain().focus().insertContentAt(range, contentOf(proposal.extractive.join(' '), undefined)).run();
      finish(a('aiActions.insertedExtractive'));
      return;
    }
    const text = editing ? draft : proposal.text;
    if (!text.trim()) return;
    const marks = [{ type: 'aiGenerated', attrs: { model: proposal.model, action: proposal.item.action, at: new Date().toISOString() } }];
    editor.chain().focus().insertContentAt(range, contentOf(text, marks)).run();
    finish(a('aiActions.accepted'));
  };

  const actionName = proposal ? a(proposal.item.key) : '';
  const generated = proposal !== null && proposal.extractive === null;
  const pending = proposal?.status === 'saving' || proposal?.status === 'streaming';
  // Refused or broken before any text came (no model, quota, network): nothing to accept or edit.
  const failed = proposal?.status === 'error' && proposal.extractive === null && !proposal.text.trim();
  const progress = proposal?.status === 'saving' ? a('aiActions.panel.saving') : a('aiActions.panel.generating');
  const ready = proposal?.status === 'done' && (proposal.extractive ? proposal.extractive.length > 0 : proposal.text.trim() !== '');

  return (
    <div className="ai-actions">
      <div className="ai-actions-bar">
        <button
          ref={menuButton}
          type="button"
          className="ws-tool ai-menu-button"
          aria-haspopup="menu"
          aria-expanded={open}
          aria-controls={`${ids}-menu`}
          title={a('aiActions.menuHint')}
          onClick={() => setOpen(!open)}
        >
          {a('aiActions.menu')}
        </button>
        {open && (
          <div id={`${ids}-menu`} ref={menu} role="menu" aria-label={a('aiActions.menuHint')} className="ai-menu" onKeyDown={onMenuKey} tabIndex={-1}>
            {ITEMS.map((item) => (
              <button key={item.key} type="button" role="menuitem" tabIndex={-1} onClick={() => start(item)}>
                {a(item.key)}
              </button>
            ))}
          </div>
        )}
        {inAiText && (
          <button
            type="button"
            className="ws-tool ai-review-button"
            onClick={() => {
              editor.chain().focus().markReviewed().run();
              setAnnounce(a('aiActions.mark.reviewed'));
            }}
          >
            {a('aiActions.mark.review')}
          </button>
        )}
        <p className="ws-sr-only" role="status">
          {announce}
        </p>
      </div>
      {proposal && (
        <section className={`ai-proposal${generated ? ' ai-proposal-generated' : ''}`} aria-labelledby={`${ids}-title`} data-testid="ai-proposal">
          <h2 id={`${ids}-title`} ref={heading} tabIndex={-1} className="ai-proposal-title">
            {failed ? a('aiActions.panel.failedTitle') : generated ? a('aiActions.panel.title') : a('aiActions.panel.extractiveTitle')}
          </h2>
          <p className="ai-proposal-about">
            {proposal.model
              ? a('aiActions.panel.about', { action: actionName, model: proposal.model })
              : pending
                ? a('aiActions.panel.aboutPending', { action: actionName })
                : actionName}
          </p>
          {generated && !failed && <p className="ai-proposal-warning">{a('aiActions.panel.warning')}</p>}
          {proposal.redacted && <p className="ai-proposal-note">{a('aiActions.panel.redacted')}</p>}
          {proposal.extractive && <p className="ai-proposal-note">{formatMessage(locale, 'assistant.extractive.summaryLabel')}</p>}
          <p className="ws-sr-only" role="status">
            {pending ? progress : proposal.status === 'done' ? a(ready ? 'aiActions.panel.done' : 'aiActions.panel.empty') : ''}
          </p>
          {pending && (
            <p className="ai-proposal-progress" aria-hidden="true">
              {progress}
            </p>
          )}
          {proposal.error && (
            <p className="ai-proposal-error" role="alert">
              {proposal.error}
            </p>
          )}
          {failed ? null : proposal.extractive ? (
            proposal.extractive.length > 0 ? (
              <ul className="ai-proposal-sentences">
                {proposal.extractive.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ul>
            ) : (
              <p>{a('aiActions.panel.noSentences')}</p>
            )
          ) : editing ? (
            <>
              <label htmlFor={`${ids}-draft`}>{a('aiActions.panel.editLabel')}</label>
              <textarea id={`${ids}-draft`} className="ai-proposal-draft" value={draft} rows={8} onChange={(e) => setDraft(e.target.value)} />
            </>
          ) : (
            <div className="ai-proposal-text" data-testid="ai-proposal-text">
              {proposal.text}
            </div>
          )}
          <div className="ai-proposal-buttons">
            {!failed && (
              <button type="button" className="button button-small" onClick={accept} disabled={!ready}>
                {a('aiActions.accept')}
              </button>
            )}
            {generated && !editing && !failed && (
              <button
                type="button"
                className="button button-small button-secondary"
                disabled={!ready}
                onClick={() => {
                  setDraft(proposal.text.trim());
                  setEditing(true);
                }}
              >
                {a('aiActions.edit')}
              </button>
            )}
            {pending && (
              <button type="button" className="button button-small button-secondary" onClick={() => {
                  // Nothing was asked of the model yet: stopping is dropping the request.
                  if (proposal.status === 'saving') return finish(a('aiActions.rejected'));
                  abort.current?.abort();
                  setProposal((p) => (p ? { ...p, status: 'done' } : p));
                }}
              >
                {a('aiActions.stop')}
              </button>
            )}
            <button type="button" className="button button-small button-secondary" onClick={() => finish(a(failed ? 'aiActions.closed' : 'aiActions.rejected'))}>
              {a(failed ? 'aiActions.close' : 'aiActions.reject')}
            </button>
          </div>
        </section>
      )}
    </div>
  );
}
