/** Errors of the mail platform. None quotes a recipient address (personal data). */

export class UnknownMailTemplateError extends Error {
  readonly template: string;
  constructor(template: string) {
    super(`Unknown mail template ${JSON.stringify(template.slice(0, 60))}`);
    this.name = 'UnknownMailTemplateError';
    this.template = template;
  }
}

export class MailParamsError extends Error {
  readonly template: string;
  constructor(template: string, problem: string) {
    super(`Mail template ${template}: ${problem}`);
    this.name = 'MailParamsError';
    this.template = template;
  }
}

export class InvalidRecipientError extends Error {
  constructor() {
    super('The recipient is not a single valid e-mail address');
    this.name = 'InvalidRecipientError';
  }
}

/** The SMTP server refused or could not be reached; `cause` holds nodemailer's error. */
export class MailDeliveryError extends Error {
  readonly template: string;
  constructor(template: string, cause: unknown) {
    super(`The ${template} mail could not be handed to the SMTP server`, { cause });
    this.name = 'MailDeliveryError';
    this.template = template;
  }
}

/** Neither ENTENTE_SMTP_URL nor demo mode: Entente has no way to send mail. */
export class MailNotConfiguredError extends Error {
  constructor() {
    super('No mail transport: set ENTENTE_SMTP_URL / aucun envoi de courriel configuré');
    this.name = 'MailNotConfiguredError';
  }
}
