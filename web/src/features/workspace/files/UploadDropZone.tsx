import { type DragEvent, type ReactNode, useRef, useState } from 'react';
import { useFilesText } from './text.ts';

interface UploadDropZoneProps {
  enabled: boolean;
  /** The destination's name, said while files are dragged over. */
  folderName: string;
  onFiles: (files: File[]) => void;
  /** Something was dropped that is not a file (a folder): say why nothing happens. */
  onRefused: (message: string) => void;
  children: ReactNode;
}

const hasFiles = (event: DragEvent) => Array.from(event.dataTransfer?.types ?? []).includes('Files');

/**
 * Files dragged from the desktop onto the list are uploaded to the folder shown. Only a pointer
 * convenience: the « Ajouter des fichiers » button does the same from the keyboard.
 */
export function UploadDropZone({ enabled, folderName, onFiles, onRefused, children }: UploadDropZoneProps) {
  const { f } = useFilesText();
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them to know when the pointer left.
  const depth = useRef(0);
  if (!enabled) return <div className="ws-files-dropzone">{children}</div>;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is the pointer shortcut; « Ajouter des fichiers » does the same by keyboard
    <div
      className={`ws-files-dropzone${over ? ' ws-files-dropzone-over' : ''}`}
      data-testid="files-dropzone"
      onDragEnter={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(event) => {
        if (!hasFiles(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(event) => {
        event.preventDefault();
        depth.current = 0;
        setOver(false);
        const transfer = event.dataTransfer;
        const files: File[] = [];
        let folders = 0;
        const items = Array.from(transfer.items ?? []);
        if (items.length > 0) {
          for (const item of items) {
            if (item.kind !== 'file') continue;
            // A dropped folder comes as a File that cannot be read: its entry says what it is.
            if (item.webkitGetAsEntry?.()?.isDirectory) {
              folders += 1;
              continue;
            }
            const file = item.getAsFile();
            if (file) files.push(file);
          }
        } else {
          files.push(...Array.from(transfer.files ?? []));
        }
        if (folders > 0) onRefused(f('files.upload.dropFolder'));
        if (files.length > 0) onFiles(files);
      }}
    >
      {over && (
        <p className="ws-files-drop-hint" aria-hidden="true">
          {f('files.upload.dropActive', { folder: folderName })}
        </p>
      )}
      {children}
    </div>
  );
}
