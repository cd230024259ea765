/**
 * A problem's title and detail said as one message. Titles are short headings without a full stop
 * (« Aucun modèle d’IA configuré »): run into the detail with a mere space they read as one broken
 * sentence, so the title gets its full stop unless it ends with its own punctuation.
 */
export function problemSentence(title: string | null | undefined, detail: string | null | undefined): string {
  const head = title?.trim() ?? '';
  const tail = detail?.trim() ?? '';
  if (!head) return tail;
  if (!tail) return head;
  return `${/[.!?…:]$/.test(head) ? head : `${head}.`} ${tail}`;
}
