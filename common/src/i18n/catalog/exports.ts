/**
 * Messages of the exports (`exports.*`, helper E): the « Exporter » menus of a document and a
 * space, and the words written into exported documents (a callout's tone). The problem an export
 * can meet (a space too large) has its title in `errors.export_too_large`.
 */
export const exportsMessages = {
  'fr-FR': {
    'exports.document.button': 'Exporter',
    'exports.document.menuLabel': 'Exporter « {title} »',
    'exports.space.button': 'Exporter l’espace',
    'exports.space.menuLabel': 'Exporter l’espace « {name} » (archive zip)',
    'exports.space.note': 'L’archive zip contient les documents dans le format choisi et les fichiers de l’espace tels quels (sans la corbeille).',
    'exports.format.pdf': 'PDF',
    'exports.format.docx': 'Word (DOCX)',
    'exports.format.odt': 'OpenDocument (ODT)',
    'exports.format.md': 'Markdown',
    'exports.format.html': 'HTML',
    'exports.preparing': 'Préparation de l’export {format}…',
    'exports.ready': 'Export {format} téléchargé.',
    'exports.failed': 'L’export n’a pas abouti : {reason}',
    'exports.callout.info': 'Information',
    'exports.callout.warning': 'Attention',
    'exports.callout.success': 'Réussite',
    'exports.callout.danger': 'Danger',
  },
  'fr-CA': {},
  en: {
    'exports.document.button': 'Export',
    'exports.document.menuLabel': 'Export “{title}”',
    'exports.space.button': 'Export space',
    'exports.space.menuLabel': 'Export the space “{name}” (zip archive)',
    'exports.space.note': 'The zip archive holds the documents in the chosen format and the space’s files as they are (not the trash).',
    'exports.format.pdf': 'PDF',
    'exports.format.docx': 'Word (DOCX)',
    'exports.format.odt': 'OpenDocument (ODT)',
    'exports.format.md': 'Markdown',
    'exports.format.html': 'HTML',
    'exports.preparing': 'Preparing the {format} export…',
    'exports.ready': '{format} export downloaded.',
    'exports.failed': 'The export failed: {reason}',
    'exports.callout.info': 'Information',
    'exports.callout.warning': 'Warning',
    'exports.callout.success': 'Success',
    'exports.callout.danger': 'Danger',
  },
} as const;

export type ExportsKey = keyof (typeof exportsMessages)['fr-FR'];
