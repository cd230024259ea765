import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';

/**
 * Image files pasted or dropped into the editor: handed to the same upload flow as the toolbar's
 * « Insérer une image » (alt text asked first, then upload, then insertion at the cursor). A drop
 * moves the cursor to where the file was dropped first, so the image lands there.
 *
 * Every `image/*` file is handed over, SVG included: the server says why it refuses one, in the
 * agent's language, rather than the editor silently ignoring it.
 */
export interface ImageFilesOptions {
  onFiles: (files: File[]) => void;
}

export const imageFilesOf = (list: FileList | null | undefined): File[] => [...(list ?? [])].filter((file) => file.type.startsWith('image/'));

/** « Schéma réseau.png » → « Schéma réseau »: a starting point for the alt text, never the final word. */
export const defaultAlt = (fileName: string): string =>
  fileName
    .replace(/\.[a-z0-9]{1,5}$/i, '')
    .replace(/[_]+/g, ' ')
    .trim();

export const ImageFiles = Extension.create<ImageFilesOptions>({
  name: 'imageFiles',

  addOptions() {
    return { onFiles: () => {} };
  },

  addProseMirrorPlugins() {
    const { onFiles } = this.options;
    return [
      new Plugin({
        key: new PluginKey('imageFiles'),
        props: {
          handlePaste: (_view, event) => {
            const files = imageFilesOf(event.clipboardData?.files);
            if (files.length === 0) return false;
            event.preventDefault();
            onFiles(files);
            return true;
          },
          handleDrop: (view, event, _slice, moved) => {
            // A block dragged within the document is ProseMirror's business.
            if (moved) return false;
            const files = imageFilesOf(event.dataTransfer?.files);
            if (files.length === 0) return false;
            event.preventDefault();
            const at = view.posAtCoords({ left: event.clientX, top: event.clientY });
            if (at) view.dispatch(view.state.tr.setSelection(TextSelection.near(view.state.doc.resolve(at.pos))));
            onFiles(files);
            return true;
          },
        },
      }),
    ];
  },
});
