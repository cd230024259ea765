import { Fragment } from 'react';
import { Link } from 'react-router';
import { type Citation, citationHref, type Passage } from './api.ts';
import { usePanelText } from './text.ts';

/** One exchange of the thread, as shown: what the agent asked, or the assistant's answer with its label and sources. */
export interface ViewMessage {
  key: string;
  role: 'user' | 'assistant';
  mode: 'generated' | 'extractive' | null;
  model: string | null;
  content: string;
  citations: Citation[];
  /** Fresh passages (with highlights) of an extractive answer; resumed answers have citations only. */
  passages?: Passage[];
  streaming?: boolean;
}

export function citationsOf(passages: Passage[]): Citation[] {
  return passages.map((p) => ({ n: p.n, documentId: p.documentId, title: p.title, offset: p.offset, length: p.length, quote: p.quote, text: p.text.slice(0, 1000) }));
}

/** Text with its [n] markers turned into links to the cited passages (React escapes the rest: nothing becomes markup). */
function WithCitations({ text, citations, spaceId }: { text: string; citations: Citation[]; spaceId: string }) {
  const { t } = usePanelText();
  const byN = new Map(citations.map((c) => [c.n, c]));
  const parts = text.split(/(\[\d{1,2}\])/);
  return (
    <>
      {parts.map((part, i) => {
        const n = /^\[(\d{1,2})\]$/.exec(part)?.[1];
        const c = n ? byN.get(Number(n)) : undefined;
        if (!c) return <Fragment key={i}>{part}</Fragment>;
        return (
          <Link key={i} className="ap-cite" to={citationHref(spaceId, c)}>
            [{c.n}]<span className="ap-hidden"> {t('assistantPanel.citation', { n: c.n, title: c.title })}</span>
          </Link>
        );
      })}
    </>
  );
}

export function MessageView({ message, spaceId }: { message: ViewMessage; spaceId: string }) {
  const { t } = usePanelText();
  if (message.role === 'user') {
    return (
      <li className="ap-message ap-user">
        <p className="ap-who">{t('assistantPanel.you')}</p>
        <p className="ap-text">{message.content}</p>
      </li>
    );
  }
  const extractive = message.mode === 'extractive';
  const label = extractive
    ? t('assistantPanel.label.extractive')
    : message.model
      ? t('assistantPanel.label.generatedModel', { model: message.model })
      : t('assistantPanel.label.generated');
  return (
    <li className="ap-message ap-assistant" aria-busy={message.streaming ? 'true' : undefined}>
      <p className="ap-who">{t('assistantPanel.assistant')}</p>
      {/* The label comes first and stays while the answer streams in (EU AI Act art. 50). */}
      <p className={extractive ? 'ap-label ap-label-extractive' : 'ap-label ap-label-ai'}>{label}</p>
      {extractive ? (
        <ol className="ap-passages">
          {(message.passages ?? []).length > 0
            ? (message.passages as Passage[]).map((p) => (
                <li key={`${p.documentId}:${p.offset}`}>
                  <Link className="ap-cite" to={citationHref(spaceId, { documentId: p.documentId, quote: p.quote, text: p.text })}>
                    [{p.n}] {p.title}
                  </Link>
                  <blockquote>
                    {p.highlight.map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <Fragment key={i}>{s.text}</Fragment>))}
                  </blockquote>
                </li>
              ))
            : message.citations.map((c) => (
                <li key={`${c.documentId}:${c.offset}`}>
                  <Link className="ap-cite" to={citationHref(spaceId, c)}>
                    [{c.n}] {c.title}
                  </Link>
                  <blockquote>{c.text ?? c.quote}</blockquote>
                </li>
              ))}
        </ol>
      ) : (
        <>
          <p className="ap-text">
            <WithCitations text={message.content} citations={message.citations} spaceId={spaceId} />
          </p>
          {message.citations.length > 0 && (
            <>
              <p className="ap-sources-heading">{t('assistantPanel.sources')}</p>
              <ol className="ap-sources">
                {message.citations.map((c) => (
                  <li key={`${c.documentId}:${c.offset}`} value={c.n}>
                    <Link to={citationHref(spaceId, c)}>{t('assistantPanel.citation', { n: c.n, title: c.title })}</Link>
                  </li>
                ))}
              </ol>
            </>
          )}
        </>
      )}
    </li>
  );
}
