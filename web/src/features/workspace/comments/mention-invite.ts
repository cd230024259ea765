import { createContext } from 'react';

/**
 * What the `@` autocomplete needs to invite someone typed as an address (CommentsPanel provides
 * it): the space to invite into and the panel's status line, where the outcome is said.
 */
export interface MentionInvite {
  spaceId: string;
  announce: (message: string) => void;
}

export const MentionInviteContext = createContext<MentionInvite | null>(null);
