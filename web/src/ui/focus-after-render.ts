import { useEffect, useState } from 'react';

/**
 * Focus moved once what an action changed is on screen: `request(target)` after the state that
 * shows it is set, and the target (looked up then, so it may be an element that render creates) is
 * focused after that render. A form refused with errors sends the agent to the first field in error
 * rather than leaving focus on the button, far below the messages.
 */
export function useFocusAfterRender(): (target: () => HTMLElement | null) => void {
  const [pending, setPending] = useState<{ target: () => HTMLElement | null } | null>(null);
  useEffect(() => {
    pending?.target()?.focus();
  }, [pending]);
  return (target) => setPending({ target });
}
