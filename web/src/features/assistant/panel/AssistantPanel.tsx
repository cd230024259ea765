import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Problem } from '../../../app/api.ts';
import { type AskEvent, ask, type ChatTurn, chat, type ConversationSummary, conversationsApi, loadModels, type ModelsAnswer } from './api.ts';
import { citationsOf, MessageView, type ViewMessage } from './Message.tsx';
import { usePanelText } from './text.ts';
import './panel.css';

type Mode = 'ask' | 'chat';

interface Props {
  spaceId: string;
  /** The document the panel was opened from (its content's classification picks the models; sent as X-Entente-Documents). */
  documentId: string | null;
  headingId: string;
  onClose: () => void;
}

/**
 * The assistant of a space (issue 7): « Demander à mes documents » (passages with citations, or an
 * answer generated from them when a model is allowed) and « Discussion » (a chat through the
 * gateway). Every answer carries its label from its first character on; the notice above the form
 * says it before anything is asked. Conversations are saved in the space (server side: sealed in
 * its cell) and can be resumed or deleted.
 */
export function AssistantPanel({ spaceId, documentId, headingId, onClose }: Props) {
  const { t, any, reason } = usePanelText();
  const ids = { question: useId(), model: useId(), modelHelp: useId(), list: useId() };
  const [mode, setMode] = useState<Mode>('ask');
  const [models, setModels] = useState<ModelsAnswer | null>(null);
  const [model, setModel] = useState('');
  const [conversations, setConversations] = useState<ConversationSummary[]>([]);
  const [contentLogging, setContentLogging] = useState<{ on: boolean; retentionDays: number } | null>(null);
  const [current, setCurrent] = useState<{ id: string | null; messages: ViewMessage[] }>({ id: null, messages: [] });
  const [question, setQuestion] = useState('');
  const [status, setStatus] = useState('');
  const [alert, setAlert] = useState('');
  const controller = useRef<AbortController | null>(null);
  const [busy, setBusy] = useState(false);
  const questionRef = useRef<HTMLTextAreaElement>(null);

  const refreshList = useCallback(async () => {
    try {
      const listed = await conversationsApi.list(spaceId);
      setConversations(listed.conversations);
      setContentLogging(listed.contentLogging);
    } catch (error) {
      setAlert(t('assistantPanel.saveFailed', { reason: reason(error) }));
    }
  }, [spaceId, t, reason]);

  useEffect(() => {
    void refreshList();
  }, [refreshList]);
  useEffect(() => {
    let live = true;
    loadModels(documentId)
      .then((answer) => {
        if (!live) return;
        setModels(answer);
        setModel(answer.models.find((m) => m.kind === 'chat' && m.allowed)?.id ?? '');
      })
      .catch(() => live && setModels({ classification: null, models: [], noModel: true }));
    return () => {
      live = false;
    };
  }, [documentId]);
  useEffect(() => {
    questionRef.current?.focus();
    return () => controller.current?.abort();
  }, []);

  const chatModels = (models?.models ?? []).filter((m) => m.kind === 'chat');
  const allowedModels = chatModels.filter((m) => m.allowed);
  const noModel = models !== null && (models.noModel || chatModels.length === 0);
  const selected = chatModels.find((m) => m.id === model && m.allowed) ?? null;
  const chatUnavailable = mode === 'chat' && !selected;

  const update = (key: string, change: (m: ViewMessage) => ViewMessage) =>
    setCurrent((c) => ({ ...c, messages: c.messages.map((m) => (m.key === key ? change(m) : m)) }));

  async function save(conversationId: string | null, message: Parameters<typeof conversationsApi.append>[1]): Promise<void> {
    if (!conversationId) return;
    try {
      await conversationsApi.append(conversationId, message);
    } catch (error) {
      setAlert(t('assistantPanel.saveFailed', { reason: reason(error) }));
    }
  }

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const text = question.trim();
    if (!text || busy || chatUnavailable) return;
    setAlert('');
    setStatus(t('assistantPanel.status.thinking'));
    setQuestion('');
    const abort = new AbortController();
    controller.current = abort;
    setBusy(true);
    let conversationId = current.id;
    if (!conversationId) {
      try {
        conversationId = (await conversationsApi.create(spaceId, documentId, text.slice(0, 200))).id;
      } catch (error) {
        setAlert(t('assistantPanel.saveFailed', { reason: reason(error) }));
      }
    }
    // The history goes to the model with the documents it quotes named (X-Entente-Documents, at most
    // 20): past the limit, answers that quote documents are left out rather than sent unjudged.
    const quoted = new Set(documentId ? [documentId] : []);
    for (const m of current.messages) for (const c of m.citations) quoted.add(c.documentId);
    const withQuotes = quoted.size <= 20;
    const history: ChatTurn[] = current.messages
      .filter((m) => m.content && (withQuotes || m.citations.length === 0))
      .map((m) => ({ role: m.role, content: m.content }));
    const named = withQuotes ? [...quoted] : documentId ? [documentId] : [];
    const answerKey = `a-${Date.now()}`;
    const generated = selected !== null;
    setCurrent((c) => ({
      id: conversationId,
      messages: [
        ...c.messages,
        { key: `q-${Date.now()}`, role: 'user', mode: null, model: null, content: text, citations: [] },
        { key: answerKey, role: 'assistant', mode: generated ? 'generated' : 'extractive', model: selected?.id ?? null, content: '', citations: [], streaming: true },
      ],
    }));
    await save(conversationId, { role: 'user', content: text });

    let content = '';
    let passages: Awaited<ReturnType<typeof citationsOf>> = [];
    let freshPassages: Extract<AskEvent, { type: 'passages' }>['passages'] = [];
    let failed = false;
    try {
      const events = mode === 'ask' ? ask(text, spaceId, selected?.id ?? null, abort.signal) : chat([...history, { role: 'user', content: text }], selected?.id as string, named, abort.signal);
      for await (const e of events) {
        if (e.type === 'passages') {
          freshPassages = e.passages;
          passages = citationsOf(e.passages);
          update(answerKey, (m) => ({ ...m, citations: passages, passages: e.passages }));
        } else if (e.type === 'delta') {
          content += e.text;
          const now = content;
          update(answerKey, (m) => ({ ...m, content: now }));
        } else if (e.type === 'error') {
          failed = true;
          setAlert(t('assistantPanel.error', { reason: e.message }));
        }
      }
      if (!generated && freshPassages.length === 0) setStatus(t('assistantPanel.status.noPassage'));
      else setStatus(failed ? '' : t('assistantPanel.status.done'));
    } catch (error) {
      if (abort.signal.aborted) setStatus(t('assistantPanel.status.stopped'));
      else {
        failed = true;
        setStatus('');
        setAlert(t('assistantPanel.error', { reason: error instanceof Problem || error instanceof Error ? reason(error) : String(error) }));
      }
    } finally {
      update(answerKey, (m) => ({ ...m, streaming: false }));
      controller.current = null;
      setBusy(false);
    }
    // What the agent received is what is kept: the generated text, or the passages (their numbers and titles).
    const kept = generated ? content : freshPassages.map((p) => `[${p.n}] ${p.title} — ${p.text}`).join('\n\n').slice(0, 20_000);
    if (kept) await save(conversationId, { role: 'assistant', mode: generated ? 'generated' : 'extractive', model: selected?.id ?? null, content: kept, citations: passages.slice(0, 10) });
    await refreshList();
    questionRef.current?.focus();
  }

  async function resume(id: string) {
    controller.current?.abort();
    try {
      const loaded = await conversationsApi.get(id);
      setCurrent({
        id,
        messages: loaded.messages.map((m) => ({ key: m.id, role: m.role, mode: m.mode, model: m.model, content: m.content, citations: m.citations })),
      });
      setStatus('');
      questionRef.current?.focus();
    } catch (error) {
      setAlert(t('assistantPanel.error', { reason: reason(error) }));
    }
  }

  async function remove(id: string) {
    try {
      await conversationsApi.remove(id);
      if (current.id === id) setCurrent({ id: null, messages: [] });
      setStatus(t('assistantPanel.conversations.deleted'));
      await refreshList();
      questionRef.current?.focus();
    } catch (error) {
      setAlert(t('assistantPanel.error', { reason: reason(error) }));
    }
  }

  return (
    <aside
      className="ap-panel"
      aria-labelledby={headingId}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !busy) onClose();
      }}
    >
      <div className="ap-head">
        <h2 id={headingId}>{t('assistantPanel.heading')}</h2>
        <button type="button" className="ap-close" onClick={onClose} aria-label={t('assistantPanel.close')}>
          ×
        </button>
      </div>
      <p className="ap-notice">{t('assistantPanel.notice')}</p>
      {contentLogging?.on && <p className="ap-notice ap-logging">{any('aiUsage.contentLogging.notice', { days: contentLogging.retentionDays })}</p>}
      {noModel && <p className="ap-nomodel">{t('assistantPanel.noModel')}</p>}

      <fieldset className="ap-modes">
        <legend>{t('assistantPanel.mode.legend')}</legend>
        {(['ask', 'chat'] as const).map((m) => (
          <label key={m}>
            <input type="radio" name={`${headingId}-mode`} value={m} checked={mode === m} onChange={() => {
                setMode(m);
                if (m === 'chat' && !selected) setModel(allowedModels[0]?.id ?? '');
              }}
              disabled={busy}
            />
            {t(m === 'ask' ? 'assistantPanel.mode.ask' : 'assistantPanel.mode.chat')}
          </label>
        ))}
      </fieldset>

      {/* Refused models stay in the list, disabled, with the reason: the agent learns why rather than wondering where they went. */}
      {models && !noModel && (
        <div className="ap-model">
          <label htmlFor={ids.model}>{t('assistantPanel.model.label')}</label>
          <select id={ids.model} value={model} onChange={(e) => setModel(e.target.value)} disabled={busy} aria-describedby={ids.modelHelp}>
            {mode === 'ask' && <option value="">{t('assistantPanel.model.none')}</option>}
            {chatModels.map((m) => (
              <option key={m.id} value={m.id} disabled={!m.allowed}>
                {m.allowed ? m.id : m.reason ? t('assistantPanel.model.refused', { model: m.id, reason: m.reason }) : t('assistantPanel.model.refusedNoReason', { model: m.id })}
              </option>
            ))}
          </select>
          <div id={ids.modelHelp} className="ap-model-help">
            {models.classification && <p>{t('assistantPanel.model.classification', { name: models.classification.name })}</p>}
            {selected?.redacted && <p>{t('assistantPanel.model.redacted')}</p>}
          </div>
        </div>
      )}
      {mode === 'chat' && (noModel || allowedModels.length === 0 || !selected) && <p className="ap-nomodel">{t('assistantPanel.chat.needsModel')}</p>}

      <ol className="ap-thread" aria-label={t('assistantPanel.thread.label')}>
        {current.messages.map((m) => (
          <MessageView key={m.key} message={m} spaceId={spaceId} />
        ))}
      </ol>
      <p role="status" className="ap-status">
        {status}
      </p>
      <p role="alert" className="ap-alert">
        {alert}
      </p>

      <form className="ap-form" onSubmit={(e) => void submit(e)}>
        <label htmlFor={ids.question}>{t(mode === 'ask' ? 'assistantPanel.question.ask' : 'assistantPanel.question.chat')}</label>
        <textarea
          id={ids.question}
          ref={questionRef}
          value={question}
          maxLength={mode === 'ask' ? 500 : 20_000}
          rows={3}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <div className="ap-actions">
          {busy ? (
            <button type="button" onClick={() => controller.current?.abort()}>
              {t('assistantPanel.stop')}
            </button>
          ) : (
            <button type="submit" disabled={chatUnavailable}>
              {t('assistantPanel.send')}
            </button>
          )}
          <button type="button" className="ap-secondary" disabled={busy} onClick={() => setCurrent({ id: null, messages: [] })}>
            {t('assistantPanel.conversations.new')}
          </button>
        </div>
      </form>

      <section className="ap-conversations" aria-labelledby={ids.list}>
        <h3 id={ids.list}>{t('assistantPanel.conversations.heading')}</h3>
        <p className="ap-kept">{t('assistantPanel.conversations.kept')}</p>
        {conversations.length === 0 ? (
          <p>{t('assistantPanel.conversations.empty')}</p>
        ) : (
          <ul>
            {conversations.map((c) => (
              <li key={c.id} aria-current={c.id === current.id ? 'true' : undefined}>
                <span className="ap-conv-title">{c.title}</span>
                <button type="button" className="ap-secondary" disabled={busy} onClick={() => void resume(c.id)} aria-label={t('assistantPanel.conversations.resumeLabel', { title: c.title })}>
                  {t('assistantPanel.conversations.resume')}
                </button>
                <button type="button" className="ap-secondary" disabled={busy} onClick={() => void remove(c.id)} aria-label={t('assistantPanel.conversations.deleteLabel', { title: c.title })}>
                  {t('assistantPanel.conversations.delete')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>
    </aside>
  );
}
