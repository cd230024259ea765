/** The first control the form marks invalid, in reading order (a fieldset stands for its first control). */
export function firstInvalidControl(form: HTMLFormElement | null): HTMLElement | null {
  const marked = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
  if (!marked) return null;
  return marked.matches('input, select, textarea') ? marked : marked.querySelector<HTMLElement>('input, select, textarea');
}

export { useFocusAfterRender } from '../../ui/focus-after-render.ts';
