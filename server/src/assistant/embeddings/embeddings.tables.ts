import type { Generated } from 'kysely';

/** Migration 20261130150000_assistant_passage_embeddings (see there and README.md). */
export interface AssistantPassageEmbeddingsTable {
  document_id: string;
  model: string;
  /** sha256 (hex) of the embedded text: the passage's title line and text. */
  content_hash: string;
  passage_start: number;
  passage_length: number;
  dimensions: number;
  embedding: number[];
  embedded_at: Generated<Date>;
}

export interface AssistantEmbeddedDocumentsTable {
  document_id: string;
  model: string;
  /** document_search.changed_at of the text that was embedded. */
  source_changed_at: Date;
  state: 'embedded' | 'refused';
  embedded_at: Generated<Date>;
}

declare module '../../platform/db/types.ts' {
  interface CellTables {
    assistant_passage_embeddings: AssistantPassageEmbeddingsTable;
    assistant_embedded_documents: AssistantEmbeddedDocumentsTable;
  }
}
