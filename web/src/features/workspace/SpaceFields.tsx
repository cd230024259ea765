import type { FieldIssue } from '@entente/common/field-issues.ts';
import type { ReactNode } from 'react';
import { ASSURANCE_LEVELS, type AssuranceLevel, CLASSIFICATIONS, type Classification } from './api.ts';
import { useWorkspaceText } from './text.ts';

/** What an owner sets on a space, at creation and after (the jurisdiction is set once, at creation). */
export interface SpaceSettings {
  name: string;
  description: string;
  minAssurance: AssuranceLevel;
  classification: Classification;
}

export const SPACE_FIELDS = ['name', 'description', 'jurisdiction', 'minAssurance', 'classification'] as const;
export type SpaceField = (typeof SPACE_FIELDS)[number];

export const spaceFieldId = (idBase: string, field: SpaceField) => `${idBase}-${field}`;
const errorId = (idBase: string, field: SpaceField) => `${idBase}-${field}-error`;

/** Puts the keyboard on the first field the server refused, in the form's order. */
export function focusFirstRefused(idBase: string, errors: ReadonlyMap<string, FieldIssue>) {
  const first = SPACE_FIELDS.find((f) => errors.has(f));
  if (first) document.getElementById(spaceFieldId(idBase, first))?.focus();
}

/**
 * The fields of a space's form, each with the server's error under it. `afterDescription` holds
 * what only one form has there (the jurisdiction, at creation); `hints` adds a sentence under a
 * field (what a change does to the members already there).
 */
export function SpaceFields({
  idBase,
  values,
  onChange,
  errors,
  afterDescription,
  hints = {},
}: {
  idBase: string;
  values: SpaceSettings;
  onChange: (change: Partial<SpaceSettings>) => void;
  errors: ReadonlyMap<string, FieldIssue>;
  afterDescription?: ReactNode;
  hints?: Partial<Record<'minAssurance' | 'classification', string>>;
}) {
  const { w } = useWorkspaceText();
  const fieldId = (field: SpaceField) => spaceFieldId(idBase, field);
  const hintId = (field: SpaceField) => `${idBase}-${field}-hint`;
  const described = (field: SpaceField) =>
    [field in hints ? hintId(field) : undefined, errors.has(field) ? errorId(idBase, field) : undefined].filter(Boolean).join(' ') || undefined;
  const errorText = (field: SpaceField) => <SpaceFieldError idBase={idBase} field={field} errors={errors} />;
  const hint = (field: 'minAssurance' | 'classification') =>
    hints[field] ? (
      <p id={hintId(field)} className="ws-hint">
        {hints[field]}
      </p>
    ) : null;

  return (
    <>
      <div className="ws-field">
        <label htmlFor={fieldId('name')}>{w('workspace.spaces.name')}</label>
        <input
          id={fieldId('name')}
          value={values.name}
          maxLength={200}
          required
          aria-invalid={errors.has('name') || undefined}
          aria-describedby={described('name')}
          onChange={(e) => onChange({ name: e.target.value })}
        />
        {errorText('name')}
      </div>
      <div className="ws-field">
        <label htmlFor={fieldId('description')}>{w('workspace.spaces.description')}</label>
        <textarea
          id={fieldId('description')}
          value={values.description}
          maxLength={2000}
          rows={3}
          aria-invalid={errors.has('description') || undefined}
          aria-describedby={described('description')}
          onChange={(e) => onChange({ description: e.target.value })}
        />
        {errorText('description')}
      </div>
      {afterDescription}
      <div className="ws-field">
        <label htmlFor={fieldId('minAssurance')}>{w('workspace.spaces.minAssurance')}</label>
        <select
          id={fieldId('minAssurance')}
          value={values.minAssurance}
          aria-invalid={errors.has('minAssurance') || undefined}
          aria-describedby={described('minAssurance')}
          onChange={(e) => onChange({ minAssurance: e.target.value as AssuranceLevel })}
        >
          {ASSURANCE_LEVELS.map((level) => (
            <option key={level} value={level}>
              {w(`workspace.assurance.${level}`)}
            </option>
          ))}
        </select>
        {hint('minAssurance')}
        {errorText('minAssurance')}
      </div>
      <div className="ws-field">
        <label htmlFor={fieldId('classification')}>{w('workspace.spaces.classificationLabel')}</label>
        <select
          id={fieldId('classification')}
          value={values.classification}
          aria-invalid={errors.has('classification') || undefined}
          aria-describedby={described('classification')}
          onChange={(e) => onChange({ classification: e.target.value as Classification })}
        >
          {CLASSIFICATIONS.map((value) => (
            <option key={value} value={value}>
              {w(`workspace.classification.${value}`)}
            </option>
          ))}
        </select>
        {hint('classification')}
        {errorText('classification')}
      </div>
    </>
  );
}

/** The server's error for one field, under it (also for the jurisdiction's radio group, outside SpaceFields). */
export function SpaceFieldError({ idBase, field, errors }: { idBase: string; field: SpaceField; errors: ReadonlyMap<string, FieldIssue> }) {
  const { fieldError } = useWorkspaceText();
  const issue = errors.get(field);
  return issue ? (
    <p id={errorId(idBase, field)} className="ws-field-error">
      {fieldError(issue)}
    </p>
  ) : null;
}
