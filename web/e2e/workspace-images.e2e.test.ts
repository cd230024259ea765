import { deflateSync } from 'node:zlib';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { DEMO_AGENTS } from '../../server/src/identity/demo-data.ts';
import { describeInBrowser, describeViolations, openPage, runAxe } from './support/browser.ts';
import { browserSuite } from './support/suite.ts';

type Agent = (typeof DEMO_AGENTS)[number];
const agent = (givenName: string) => DEMO_AGENTS.find((a) => a.givenName === givenName) as Agent;
// Demo content (server/src/workspace/demo-content.ts): Camille (FR) owns « Coopération
// France–Québec » (QC cell), Émilie (QC) edits it, Olivier (QC) reads it.
const camille = agent('Camille');
const emilie = agent('Émilie');
const olivier = agent('Olivier');
const COOPERATION = '019ac9f0-0000-7000-8000-0000000e0001';
const WELCOME = '019ac9f0-0000-7000-8000-0000000d0001';
const INFRASTRUCTURE = '019ac9f0-0000-7000-8000-0000000d0005';

/** CRC-32 (ISO-HDLC), as PNG chunks carry it (node:zlib's crc32 needs Node 22). */
function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A real PNG (signature, IHDR, IDAT, IEND with their CRCs): `width`×`height` pixels of one colour. */
function png(width: number, height: number, [r, g, b]: [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter method, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))]);
}

const editorOf = (tab: Page) => tab.locator('.ws-prose[contenteditable]').first();
// ProseMirror draws an empty `img.ProseMirror-separator` in some empty lines: not a document image.
const imagesIn = (tab: Page) => editorOf(tab).locator('img:not(.ProseMirror-separator)');
const connection = (tab: Page) => tab.getByTestId('connection');
/** Width of the decoded picture: 0 while it is not loaded, or when the browser could not show it. */
const naturalWidth = (image: Locator) => image.evaluate((element) => (element as HTMLImageElement).naturalWidth);

async function openDocument(context: BrowserContext, baseUrl: string, documentId = WELCOME): Promise<Page> {
  // Not openPage(): its `main h1` also matches a level-1 heading of the document's content once
  // the editor has rendered it (a strict-mode violation, depending on timing).
  const tab = await context.newPage();
  await tab.goto(new URL(`/espaces/${COOPERATION}/documents/${documentId}`, baseUrl).href);
  await tab.locator('main h1').first().waitFor();
  await tab.locator('[data-session]:not([data-session="loading"])').waitFor();
  await editorOf(tab).waitFor();
  await expect.poll(() => connection(tab).textContent(), { timeout: 15_000 }).toMatch(/Connecté|Connected/);
  return tab;
}

/** Puts the cursor in a new empty paragraph at the end of the document. */
async function cursorAtEnd(tab: Page): Promise<void> {
  await editorOf(tab).click();
  await tab.keyboard.press('Control+End');
  await tab.keyboard.press('Enter');
}

describeInBrowser('Images in live documents', () => {
  const suite = browserSuite();

  it('an editor uploads a PNG from « Insérer une image »: it shows in their editor and, live, in a colleague’s', async () => {
    const paris = await suite.signedInContext(camille);
    const quebec = await suite.signedInContext(emilie, { language: 'fr-CA', locale: 'fr-CA' });
    try {
      const [a, b] = await Promise.all([openDocument(paris, suite.app.baseUrl), openDocument(quebec, suite.app.baseUrl)]);
      expect(await imagesIn(a).count()).toBe(0);
      await cursorAtEnd(a);

      // The toolbar button opens the system's file picker (a real button: keyboard and screen readers reach it).
      const button = a.getByRole('toolbar', { name: 'Mise en forme' }).getByRole('button', { name: 'Insérer une image' });
      const [chooser] = await Promise.all([a.waitForEvent('filechooser'), button.click()]);
      expect(chooser.isMultiple()).toBe(true);
      await chooser.setFiles({ name: 'schema_reseau.png', mimeType: 'image/png', buffer: png(48, 24, [31, 78, 156]) });

      // The alt text is asked first, prefilled from the file name and focused; nothing is sent yet.
      const alt = a.getByLabel('Texte alternatif');
      await alt.waitFor();
      expect(await alt.inputValue()).toBe('schema reseau');
      expect(await a.evaluate(() => document.activeElement?.id)).toBe(await alt.getAttribute('id'));
      expect(await a.getByText('Image choisie : « schema_reseau.png »').count()).toBe(1);
      expect(describeViolations(await runAxe(a))).toEqual([]);
      await a.screenshot({ path: '/tmp/ws-image-alt.png' });
      await alt.fill('Schéma du réseau interministériel');
      await a.getByRole('button', { name: 'Insérer l’image' }).click();

      const mine = imagesIn(a).first();
      await mine.waitFor();
      expect(await mine.getAttribute('alt')).toBe('Schéma du réseau interministériel');
      expect(await mine.getAttribute('src')).toMatch(/^\/api\/images\/[0-9a-f-]{36}$/);
      await expect.poll(() => naturalWidth(mine), { timeout: 10_000 }).toBe(48);
      await expect.poll(() => a.locator('.ws-image-status').textContent()).toBe('Image « Schéma du réseau interministériel » insérée.');
      expect(await a.locator('.ws-image-form').count()).toBe(0);
      // The cursor is on the line after the image: typing goes there and keeps the image.
      await a.keyboard.type('Légende du schéma', { delay: 10 });
      expect(await imagesIn(a).count()).toBe(1);
      expect(await editorOf(a).locator('img:not(.ProseMirror-separator) + p').textContent()).toBe('Légende du schéma');

      // The colleague's editor receives it live and loads it with their own session.
      const theirs = imagesIn(b).first();
      await theirs.waitFor({ timeout: 10_000 });
      expect(await theirs.getAttribute('alt')).toBe('Schéma du réseau interministériel');
      await expect.poll(() => naturalWidth(theirs), { timeout: 10_000 }).toBe(48);

      expect(describeViolations(await runAxe(a))).toEqual([]);
      await mine.scrollIntoViewIfNeeded();
      await a.screenshot({ path: '/tmp/ws-image.png', fullPage: true });
    } finally {
      await paris.close();
      await quebec.close();
    }
  });

  it('a refused file (SVG, or text named .png) says why in the agent’s language and inserts nothing', async () => {
    const context = await suite.signedInContext(camille);
    const english = await suite.signedInContext(emilie, { language: 'en', locale: 'en-GB' });
    try {
      const tab = await openDocument(context, suite.app.baseUrl, INFRASTRUCTURE);
      await cursorAtEnd(tab);
      const before = await imagesIn(tab).count();
      const alert = tab.locator('.ws-image-alert');

      await tab.getByTestId('image-file').setInputFiles({
        name: 'logo.svg',
        mimeType: 'image/svg+xml',
        buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
      });
      await tab.getByRole('button', { name: 'Insérer l’image' }).click();
      await expect.poll(() => alert.textContent()).toContain('L’image « logo.svg » n’a pas été insérée.');
      expect(await alert.getAttribute('role')).toBe('alert');
      expect(await alert.textContent()).toContain('Format d’image non accepté. Seules les images PNG, JPEG, GIF et WebP sont acceptées.');
      expect(await tab.locator('.ws-image-form').count()).toBe(0);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
      await tab.screenshot({ path: '/tmp/ws-image-refused.png', fullPage: true });

      // Text renamed .png: the server reads its first bytes and refuses it.
      await tab.getByTestId('image-file').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('Réunion du 31 mars : ordre du jour…') });
      await tab.getByRole('button', { name: 'Insérer l’image' }).click();
      await expect.poll(() => alert.textContent()).toContain('L’image « notes.png » n’a pas été insérée.');
      expect(await alert.textContent()).toContain('n’est pas une image de type image/png');
      expect(await tab.locator('.ws-image-status').textContent()).toBe('');
      await tab.waitForTimeout(500);
      expect(await imagesIn(tab).count()).toBe(before);

      // The same refusal, for an agent reading in English.
      const other = await openDocument(english, suite.app.baseUrl, INFRASTRUCTURE);
      await cursorAtEnd(other);
      await other.getByTestId('image-file').setInputFiles({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('plain text') });
      await other.getByRole('button', { name: 'Insert the image' }).click();
      await expect.poll(() => other.locator('.ws-image-alert').textContent()).toContain('The image “notes.png” was not inserted.');
      expect(await other.locator('.ws-image-alert').textContent()).toContain('is not a image/png image');
      expect(await imagesIn(other).count()).toBe(before);
    } finally {
      await context.close();
      await english.close();
    }
  });

  it('pasting or dropping an image file asks for its alt text, then uploads and inserts it; pasted HTML keeps only the space’s images', async () => {
    const context = await suite.signedInContext(emilie, { language: 'fr-FR' });
    try {
      const tab = await openDocument(context, suite.app.baseUrl, INFRASTRUCTURE);
      await cursorAtEnd(tab);
      const before = await imagesIn(tab).count();
      const bytes = [...png(16, 16, [0, 100, 60])];

      // A screenshot pasted from the clipboard.
      await editorOf(tab).evaluate((element, data) => {
        const files = new DataTransfer();
        files.items.add(new File([new Uint8Array(data)], 'capture.png', { type: 'image/png' }));
        element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: files, bubbles: true, cancelable: true }));
      }, bytes);
      await tab.getByLabel('Texte alternatif').fill('Capture du tableau de bord');
      // A slow network: the upload is said while it lasts, and the form cannot be sent twice.
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      // Into the document being edited: its readers, and only they, will see the image.
      const uploadedTo: string[] = [];
      await tab.route('**/api/documents/*/images', async (route) => {
        uploadedTo.push(new URL(route.request().url()).pathname);
        await held;
        await route.continue();
      });
      await tab.getByRole('button', { name: 'Insérer l’image' }).click();
      await expect.poll(() => tab.locator('.ws-image-status').textContent()).toBe('Envoi de l’image…');
      expect(await tab.getByRole('button', { name: 'Insérer l’image' }).isDisabled()).toBe(true);
      release();
      const pasted = imagesIn(tab).and(tab.locator('[alt="Capture du tableau de bord"]'));
      await pasted.waitFor();
      await expect.poll(() => naturalWidth(pasted)).toBe(16);
      expect(uploadedTo).toEqual([`/api/documents/${INFRASTRUCTURE}/images`]);
      await tab.unroute('**/api/documents/*/images');

      // Pasted HTML keeps the space's own images (copied from another document) and drops the
      // others: the page's CSP would not show them, and each reader's browser would call that site.
      const copied = await pasted.getAttribute('src');
      await editorOf(tab).evaluate((element, html) => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, `<p>Texte collé</p><img src="https://tracker.example/pixel.png" alt="pixel"><img src="${suite.app.baseUrl}${copied}" alt="copie interne">`);
      await editorOf(tab).getByText('Texte collé').waitFor();
      const internal = imagesIn(tab).and(tab.locator('[alt="copie interne"]'));
      await internal.waitFor();
      expect(await internal.getAttribute('src')).toBe(copied);
      expect(await imagesIn(tab).and(tab.locator('[alt="pixel"]')).count()).toBe(0);

      // A file dropped onto the first paragraph: the image lands there, before the rest.
      const first = editorOf(tab).locator('p').first();
      const box = await first.boundingBox();
      if (!box) throw new Error('the first paragraph is not visible');
      await editorOf(tab).evaluate(
        (element, { data, x, y }) => {
          const files = new DataTransfer();
          files.items.add(new File([new Uint8Array(data)], 'plan-de-salle.png', { type: 'image/png' }));
          element.dispatchEvent(new DragEvent('drop', { dataTransfer: files, clientX: x, clientY: y, bubbles: true, cancelable: true }));
        },
        { data: bytes, x: box.x + 2, y: box.y + box.height / 2 },
      );
      expect(await tab.getByLabel('Texte alternatif').inputValue()).toBe('plan-de-salle');
      await tab.getByRole('button', { name: 'Insérer l’image' }).click();
      const dropped = imagesIn(tab).and(tab.locator('[alt="plan-de-salle"]'));
      await dropped.waitFor();
      await expect.poll(() => naturalWidth(dropped)).toBe(16);
      expect(await imagesIn(tab).count()).toBe(before + 3);
      // Dropped near the top: before the pasted one (inserted at the end).
      const order = await imagesIn(tab).evaluateAll((images) => images.map((image) => image.getAttribute('alt')));
      expect(order.indexOf('plan-de-salle')).toBeLessThan(order.indexOf('Capture du tableau de bord'));

      // « Annuler » sends nothing: a file chosen by mistake never leaves the computer.
      await tab.getByTestId('image-file').setInputFiles({ name: 'confidentiel.png', mimeType: 'image/png', buffer: png(4, 4, [0, 0, 0]) });
      await tab.getByRole('button', { name: 'Annuler', exact: true }).click();
      await tab.waitForTimeout(500);
      expect(await imagesIn(tab).count()).toBe(before + 3);
    } finally {
      await context.close();
    }
  });

  it('a reader has no way to upload: no button, no file input, and a paste does nothing', async () => {
    const context = await suite.signedInContext(olivier, { language: 'fr-FR' });
    try {
      const tab = await openDocument(context, suite.app.baseUrl);
      expect(await editorOf(tab).getAttribute('contenteditable')).toBe('false');
      expect(await tab.getByRole('button', { name: 'Insérer une image' }).count()).toBe(0);
      expect(await tab.locator('input[type="file"]').count()).toBe(0);
      const before = await imagesIn(tab).count();
      await editorOf(tab).evaluate((element) => {
        const files = new DataTransfer();
        files.items.add(new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], 'capture.png', { type: 'image/png' }));
        element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: files, bubbles: true, cancelable: true }));
      });
      await tab.waitForTimeout(300);
      expect(await tab.getByLabel('Texte alternatif').count()).toBe(0);
      expect(await imagesIn(tab).count()).toBe(before);
      expect(describeViolations(await runAxe(tab))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('the tree moves a document by drag and drop, under another one and back to the root', async () => {
    const context = await suite.signedInContext(camille);
    try {
      const tab = await openPage(context, suite.app.baseUrl, `/espaces/${COOPERATION}`);
      const tree = tab.getByRole('navigation', { name: 'Documents de l’espace' });
      for (const title of ['Dossier de glisser', 'Note à glisser']) {
        await tree.getByLabel('Titre du nouveau document').fill(title);
        await tree.getByRole('button', { name: 'Créer', exact: true }).click();
        await tree.getByRole('link', { name: title }).waitFor();
      }
      // A row holds its own link only (its children are outside it, in the item's group).
      const row = (title: string) => tree.locator('.ws-tree-row').filter({ has: tab.getByRole('link', { name: title, exact: true }) });

      await row('Note à glisser').dragTo(row('Dossier de glisser'));
      await expect.poll(() => tab.getByRole('status').first().textContent()).toBe('« Note à glisser » déplacé sous « Dossier de glisser », en position 1.');
      const nested = tab.locator('.ws-tree-group [data-document-id]').filter({ hasText: 'Note à glisser' });
      await nested.waitFor();
      expect(await tree.locator('[data-document-id]').filter({ hasText: 'Dossier de glisser' }).first().locator('.ws-tree-group').textContent()).toContain('Note à glisser');
      expect(describeViolations(await runAxe(tab))).toEqual([]);

      // Back to the root: the drop zone appears only while dragging.
      const source = row('Note à glisser');
      await source.hover();
      await tab.mouse.down();
      const rootZone = tree.getByText('Déposer ici pour placer le document à la racine');
      await tab.mouse.move(10, 10);
      await rootZone.hover();
      await tab.mouse.up();
      await expect.poll(() => tab.getByRole('status').first().textContent()).toMatch(/^« Note à glisser » déplacé à la racine, en position \d+\.$/);
      await expect.poll(() => tab.locator('.ws-tree-group [data-document-id]').filter({ hasText: 'Note à glisser' }).count()).toBe(0);
      await tab.screenshot({ path: '/tmp/ws-tree-drag.png', fullPage: true });
    } finally {
      await context.close();
    }
  });
});
