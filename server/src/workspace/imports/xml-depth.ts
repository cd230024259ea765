/**
 * The nesting depth of an XML part, measured as its bytes stream by, before any parser sees it.
 *
 * Why: mammoth reads a DOCX's XML with xmldom and then walks it recursively, a few stack frames per
 * level. A `word/document.xml` nested some thousands of levels deep (a few kilobytes, compressed)
 * costs seconds of blocked event loop and hundreds of megabytes before the stack overflows. Real
 * documents stay below a hundred levels (tables in tables, text boxes, content controls), so a part
 * deeper than the limit is refused here (`too_deep`) and never handed to the parser.
 *
 * Only the markup that changes the depth is recognised: start tags (self-closing or not, quoted
 * attribute values skipped), end tags, comments, CDATA sections, processing instructions and
 * declarations (a DOCTYPE with its internal subset is skipped: xmldom expands no entity it
 * declares, and SVG images of a DOCX may carry one). Markup split across chunks is followed (the
 * state is kept between `push` calls). Bytes, not characters: every byte of markup is ASCII, and
 * no byte of a multi-byte UTF-8 character is.
 */
export class XmlDepthError extends Error {
  readonly reason = 'too_deep';
  constructor(max: number) {
    super(`XML nested deeper than ${max} levels`);
  }
}

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;
const DASH = 0x2d;
const BRACKET = 0x5d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

// The meter's states (plain constants: the loop below runs once per byte).
const TEXT = 0;
/** Just after `<`. */
const OPEN = 1;
const START_TAG = 2;
const END_TAG = 3;
const INSTRUCTION = 4;
/** After `<!`: a comment, a CDATA section or a declaration, told apart by what follows. */
const BANG_SEEN = 5;
const COMMENT = 6;
const CDATA = 7;
/** `<!DOCTYPE …>`, its internal subset (between brackets) included. */
const DECLARATION = 8;
const OPEN_BRACKET = 0x5b;

export class XmlDepthMeter {
  readonly #max: number;
  #depth = 0;
  #deepest = 0;
  #state = TEXT;
  #quote = 0;
  #previous = 0;
  /** The characters after `<!` read so far (at most 7). */
  #bang = '';
  /** Consecutive `-` (comment) or `]` (CDATA) just read. */
  #run = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /** The deepest nesting seen so far (the root element is 1). */
  get deepest(): number {
    return this.#deepest;
  }

  /** Reads the next bytes of the part; throws `XmlDepthError` as soon as it goes too deep. */
  push(chunk: Uint8Array): void {
    // The state in locals while the loop runs (plain loops over the bytes: a native `indexOf` per
    // tag costs more than it saves), written back at the end.
    let state = this.#state;
    let depth = this.#depth;
    let deepest = this.#deepest;
    let quote = this.#quote;
    let previous = this.#previous;
    let run = this.#run;
    const max = this.#max;
    const n = chunk.length;
    try {
      for (let i = 0; i < n; i++) {
        const b = chunk[i] as number;
        switch (state) {
          case TEXT:
            if (b === LT) state = OPEN;
            else while (i + 1 < n && chunk[i + 1] !== LT) i++;
            break;
          case OPEN:
            if (b === SLASH) state = END_TAG;
            else if (b === QUESTION) {
              state = INSTRUCTION;
              previous = 0;
            } else if (b === BANG) {
              state = BANG_SEEN;
              this.#bang = '';
            } else {
              depth += 1;
              if (depth > deepest) deepest = depth;
              if (depth > max) throw new XmlDepthError(max);
              state = START_TAG;
              quote = 0;
              previous = b;
            }
            break;
          case START_TAG:
            if (quote !== 0) {
              // Inside an attribute's value, `>` and `/` mean nothing.
              if (b === quote) quote = 0;
              else while (i + 1 < n && chunk[i + 1] !== quote) i++;
            } else if (b === DOUBLE_QUOTE || b === SINGLE_QUOTE) quote = b;
            else if (b === GT) {
              // `<a/>` opens and closes at once.
              if (previous === SLASH) depth -= 1;
              state = TEXT;
            }
            previous = b;
            break;
          case END_TAG:
            if (b === GT) {
              depth = Math.max(0, depth - 1);
              state = TEXT;
            }
            break;
          case INSTRUCTION:
            if (b === GT && previous === QUESTION) state = TEXT;
            previous = b;
            break;
          case BANG_SEEN: {
            const bang = this.#bang + String.fromCharCode(b);
            this.#bang = bang;
            if (bang === '--' || bang === '[CDATA[') {
              state = bang === '--' ? COMMENT : CDATA;
              run = 0;
            } else if (!'--'.startsWith(bang) && !'[CDATA['.startsWith(bang)) {
              state = DECLARATION;
              quote = 0;
              run = 0;
              i -= 1; // this byte may already be a quote or a bracket
            }
            break;
          }
          case DECLARATION:
            // `run` counts the open brackets of the internal subset; its own declarations end in `>` too.
            if (quote !== 0) {
              if (b === quote) quote = 0;
            } else if (b === DOUBLE_QUOTE || b === SINGLE_QUOTE) quote = b;
            else if (b === OPEN_BRACKET) run += 1;
            else if (b === BRACKET) run = Math.max(0, run - 1);
            else if (b === GT && run === 0) state = TEXT;
            break;
          case COMMENT:
          case CDATA:
            if (b === (state === COMMENT ? DASH : BRACKET)) run += 1;
            else {
              if (b === GT && run >= 2) state = TEXT;
              run = 0;
            }
            break;
        }
      }
    } finally {
      this.#state = state;
      this.#depth = depth;
      this.#deepest = deepest;
      this.#quote = quote;
      this.#previous = previous;
      this.#run = run;
    }
  }
}
