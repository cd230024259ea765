import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';

/**
 * Reads an incoming Hocuspocus message far enough to know whether it changes the document, and
 * with which Yjs update — before Hocuspocus applies it, so that the update can be logged first.
 *
 *     varString documentName ‖ varUint messageType ‖ …
 *     Sync (0) / SyncReply (4): varUint syncType ‖ varUint8Array payload
 *     syncType 0 = SyncStep1 (a state vector: no change), 1 = SyncStep2, 2 = Update
 *
 * A message that claims to carry an update but does not parse as one throws
 * `MalformedMessageError`: it must be refused before it reaches the log, where it would break
 * every later load.
 */
export type IncomingChange = { kind: 'none' } | { kind: 'step2' | 'update'; update: Uint8Array };

const MESSAGE_SYNC = 0;
const MESSAGE_SYNC_REPLY = 4;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;

export class MalformedMessageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedMessageError';
  }
}

export function readIncomingChange(raw: Uint8Array): IncomingChange {
  try {
    const decoder = decoding.createDecoder(raw);
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type !== MESSAGE_SYNC && type !== MESSAGE_SYNC_REPLY) return { kind: 'none' };
    const syncType = decoding.readVarUint(decoder);
    if (syncType !== SYNC_STEP2 && syncType !== SYNC_UPDATE) return { kind: 'none' };
    const update = decoding.readVarUint8Array(decoder);
    // Parses every struct and the delete set without touching any document.
    Y.decodeUpdate(update);
    return { kind: syncType === SYNC_STEP2 ? 'step2' : 'update', update };
  } catch (error) {
    throw new MalformedMessageError(error instanceof Error ? error.message : 'unreadable message');
  }
}
