import type { Generated } from 'kysely';

/**
 * Images pasted or dropped into documents, in the cell of their space. The bytes are an object of
 * that cell's store (`spaces/<spaceId>/images/<id>`), encrypted with the space's data key; this
 * row holds what serving them needs without opening the object: the media type detected from the
 * bytes (never the one the client claimed), the size and the SHA-256 (the ETag).
 *
 * The files area (a later issue) will keep its files in the same store; images stay per space,
 * not per document, so that copying a paragraph into another document of the space keeps working.
 */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export interface DocumentImagesTable {
  id: string;
  space_id: string;
  content_type: ImageType;
  size: number;
  /** Hex SHA-256 of the plaintext. */
  sha256: string;
  created_by: string;
  created_at: Generated<Date>;
}

declare module '../../platform/db/types.ts' {
  interface CellTables {
    document_images: DocumentImagesTable;
  }
}
