import type { Cells } from '../../platform/cells/cells.ts';
import type { CellDb } from '../../platform/db/types.ts';
import { type FileItemExportRow, listSpaceFiles, listSpaceFileVersions } from '../export/export.repo.ts';
import { COMPRESSIBLE, layoutFiles } from '../export/space-export.ts';
import type { ZipWriter } from '../export/zip.ts';
import { spaceKeyOwner } from '../files/deps.ts';

/**
 * The files area in a space's zip (« Exporter l’espace »): the live tree, each file's current
 * version, under `<space>/Fichiers/` — a name no exported document uses (« Fichiers (2) » if one
 * does). What the space's files page shows is what the zip holds: the trash and older versions
 * stay out (the operator's `entente export --space` has them), and so do quarantined versions —
 * a download would refuse them, an archive must not hand them out either. Pending versions are
 * in, as the files page lets them be downloaded.
 */
export interface FilesArea {
  /** The files to write, in tree order. */
  files: { entry: string; objectKey: string; size: number; sha256: string; compress: boolean }[];
  /** Live files whose current version is quarantined: left out, and counted in the audit event. */
  quarantined: number;
  /** Their bytes, before compression: checked against the zip's limit before anything is written. */
  bytes: number;
}

export async function planFilesArea(db: CellDb, spaceId: string, root: string, documentStems: readonly string[]): Promise<FilesArea> {
  const items = await listSpaceFiles(db, spaceId);
  const byId = new Map(items.map((i) => [i.id, i]));
  // An item is live when neither it nor a folder above it is in the trash.
  const live = (item: FileItemExportRow): boolean => {
    for (let at: FileItemExportRow | undefined = item, hops = 0; at && hops < 1000; at = at.parent_id ? byId.get(at.parent_id) : undefined, hops++) {
      if (at.trashed_at) return false;
    }
    return true;
  };
  const kept = items.filter(live);
  const area: FilesArea = { files: [], quarantined: 0, bytes: 0 };
  if (kept.length === 0) return area;
  const versions = new Map((await listSpaceFileVersions(db, spaceId)).map((v) => [v.id, v]));
  const folder = `${root}/${freeFolderName(root, documentStems)}/`;
  // layoutFiles with no prefix writes `files/…` (and `deep/files/<id>/…` for paths too long).
  const paths = layoutFiles(kept, '');
  for (const item of kept) {
    if (item.kind !== 'file' || !item.current_version_id) continue;
    const version = versions.get(item.current_version_id);
    if (!version) continue;
    if (version.status === 'quarantined') {
      area.quarantined += 1;
      continue;
    }
    const path = paths.get(item.id) as string;
    area.files.push({
      entry: `${folder}${path.startsWith('files/') ? path.slice('files/'.length) : path}`,
      objectKey: version.object_key,
      size: version.size,
      sha256: version.sha256,
      compress: COMPRESSIBLE.test(version.content_type),
    });
    area.bytes += version.size;
  }
  return area;
}

/** « Fichiers », unless a document with children already made that folder. */
function freeFolderName(root: string, documentStems: readonly string[]): string {
  const taken = new Set(documentStems.map((stem) => stem.normalize('NFC').toLowerCase()));
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'Fichiers' : `Fichiers (${n})`;
    if (!taken.has(`${root}/${name}`.normalize('NFC').toLowerCase())) return name;
  }
}

/** Streams each planned file, decrypted with the space's key, into the zip; checks what it wrote. */
export async function writeFilesArea(cells: Cells, jurisdiction: 'FR' | 'QC', spaceId: string, area: FilesArea, zip: ZipWriter, beforeEach: (size: number) => void): Promise<void> {
  const cell = cells.get(jurisdiction);
  for (const file of area.files) {
    beforeEach(file.size);
    const { body } = await cell.encryptedObjects.getDecrypted(cell.db, spaceKeyOwner(spaceId), file.objectKey);
    const added = await zip.add(file.entry, body, { compress: file.compress, declaredSize: file.size });
    // Bytes that are not the ones recorded at upload: a damaged object, never handed out as if whole.
    if (added.sha256 !== file.sha256) throw new Error(`space export: ${file.entry} differs from its recorded SHA-256`);
  }
}
