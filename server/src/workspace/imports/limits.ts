import { type HtmlImportLimits, DEFAULT_HTML_IMPORT_LIMITS } from '../content/html-import.ts';
import { MAX_IMAGE_BYTES } from '../images/image-types.ts';

/**
 * What one import accepts. Each limit turns into a clear reason in the report (per file) or a
 * refusal of the whole upload, never a crash: a zip bomb is stopped by the declared sizes and
 * ratio before anything is inflated, and by the reader cutting any entry at its declared size.
 */
export interface ImportLimits {
  /** The uploaded file (a single document or a zip). */
  maxUploadBytes: number;
  /** A Markdown or HTML file, once uncompressed. */
  maxTextFileBytes: number;
  /** A DOCX file. */
  maxDocxBytes: number;
  /** Entries of a zip (folders included). */
  maxEntries: number;
  /** Sum of a zip's uncompressed sizes. */
  maxTotalBytes: number;
  /** Uncompressed / compressed, per entry above 1 MiB (text compresses about 5 to 10 times; zeros about 1000). */
  maxRatio: number;
  /** Entries of a DOCX (it is a zip too), and their uncompressed total. */
  maxDocxEntries: number;
  maxDocxTotalBytes: number;
  /** Nesting of a DOCX's XML parts (real documents stay below 100; mammoth recurses per level). */
  maxDocxXmlDepth: number;
  /** Documents created by one import (folders included). */
  maxDocuments: number;
  /** Folders nested in a zip. */
  maxFolderDepth: number;
  /** One image (the images/ limit), and all the images of an import (they are held in memory until stored). */
  maxImageBytes: number;
  maxImagesBytes: number;
  maxImages: number;
  /** A document's Yjs state (the collaboration server's message limit is 16 MiB). */
  maxStateBytes: number;
  html: HtmlImportLimits;
}

const MiB = 1024 * 1024;

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxUploadBytes: 50 * MiB,
  maxTextFileBytes: 5 * MiB,
  maxDocxBytes: 20 * MiB,
  maxEntries: 2000,
  maxTotalBytes: 200 * MiB,
  maxRatio: 100,
  maxDocxEntries: 1000,
  maxDocxTotalBytes: 100 * MiB,
  maxDocxXmlDepth: 256,
  maxDocuments: 500,
  maxFolderDepth: 10,
  maxImageBytes: MAX_IMAGE_BYTES,
  maxImagesBytes: 100 * MiB,
  maxImages: 500,
  maxStateBytes: 16 * MiB,
  html: DEFAULT_HTML_IMPORT_LIMITS,
};

/** The file types an import takes, by extension. */
export const DOCUMENT_EXTENSIONS = { md: 'markdown', markdown: 'markdown', html: 'html', htm: 'html', docx: 'docx' } as const;
export type DocumentKind = (typeof DOCUMENT_EXTENSIONS)[keyof typeof DOCUMENT_EXTENSIONS];
export const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp']);
export const UPLOAD_EXTENSIONS = [...Object.keys(DOCUMENT_EXTENSIONS), 'zip'] as const;
/** Documents an agent may expect to import but that are not read yet: refused with a reason that says so. */
export const NOT_YET_EXTENSIONS: ReadonlySet<string> = new Set(['odt']);

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : '';
}
