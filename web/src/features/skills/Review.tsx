import type { ReviewItem } from '@entente/common/skills.ts';
import type { SkillsText } from './text.ts';

/**
 * The answered items after the test: the stem, the options with the agent's choice and the right
 * one said in words (and marks), right or wrong said in words too, then the explanation.
 */
export function Review({ text, items }: { text: SkillsText; items: ReviewItem[] }) {
  const sorted = [...items].sort((a, b) => a.position - b.position);
  return (
    <ol className="skills-review">
      {sorted.map((item, index) => (
        <ReviewEntry key={item.itemId} text={text} item={item} n={index + 1} />
      ))}
    </ol>
  );
}

function ReviewEntry({ text, item, n }: { text: SkillsText; item: ReviewItem; n: number }) {
  const { s } = text;
  const given = item.given.choices ?? [];
  const verdict = item.correct ? s('skills.review.correct') : s('skills.review.wrong');
  return (
    <li className="skills-review-item" data-correct={item.correct}>
      <h3>
        {s('skills.review.question', { n })}{' '}
        <span className={item.correct ? 'skills-verdict skills-verdict-right' : 'skills-verdict skills-verdict-wrong'}>
          <span aria-hidden="true">{item.correct ? '✓ ' : '✗ '}</span>
          {verdict}
        </span>
      </h3>
      <p className="skills-review-stem">{item.stem}</p>
      {item.kind === 'short_answer' ? (
        <>
          <p>{s('skills.review.given', { answer: item.given.text?.trim() ? item.given.text : s('skills.review.nothing') })}</p>
          <p>{s('skills.review.accepted', { answer: item.accepted.join(' ; ') })}</p>
        </>
      ) : (
        <>
          <ul className="skills-review-options">
            {item.options.map((option, index) => {
              const chosen = given.includes(index);
              const right = item.correctChoices.includes(index);
              const marks = [chosen ? s('skills.review.optionGiven') : null, right ? s('skills.review.optionRight') : null].filter(Boolean);
              return (
                <li key={index} data-chosen={chosen} data-right={right}>
                  {option}
                  {marks.length > 0 && <strong className="skills-review-mark"> ({marks.join(', ')})</strong>}
                </li>
              );
            })}
          </ul>
          <p>
            {s('skills.review.given', {
              answer: given.length ? given.map((index) => item.options[index] ?? '?').join(' ; ') : s('skills.review.nothing'),
            })}
          </p>
          {!item.correct && (
            <p>{s('skills.review.expected', { answer: item.correctChoices.map((index) => item.options[index] ?? '?').join(' ; ') })}</p>
          )}
        </>
      )}
      {item.changedSince && <p className="notice">{s('skills.review.changedSince')}</p>}
      {item.explanation && (
        <div className="skills-explanation">
          <h4>{s('skills.review.explanation')}</h4>
          <p>{item.explanation}</p>
        </div>
      )}
    </li>
  );
}
