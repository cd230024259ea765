import type { Generated } from 'kysely';

/**
 * Images pasted or dropped into documents, in the cell of their space. The bytes are an object of
 * that cell's store (`spaces/<spaceId>/images/<id>`), encrypted with the space's data key; this
 * row holds what serving them needs without opening the object: the media type detected from the
 * bytes (never the one the client claimed), the size and the SHA-256 (the ETag).
 *
 * An image belongs to the document it was uploaded into: only those who reach that document read
 * it (a restricted document's images are no more open than its text). The object stays under its
 * space (the space's key encrypts it). An image copied into another document keeps pointing at
 * the first one: readers of the copy who cannot reach the original see it broken, never more.
 * The files area (a later issue) will keep its files in the same store.
 */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export interface DocumentImagesTable {
  id: string;
  space_id: string;
  /**
   * The document it was uploaded into (kept after the document is deleted for good: then nobody
   * reads the image); null only for rows from before documents owned images (the space rule).
   */
  document_id: string | null;
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
