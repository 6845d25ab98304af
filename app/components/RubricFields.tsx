import type { PublicExercise } from "~/content/schema";
import { FieldError } from "./form";

/**
 * A rubric as radio groups, one fieldset per criterion (`criterion.<criterionId>`, the level's
 * score as the value), each level's label and descriptor visible; a criterion's error is shown
 * and announced with its group.
 */
export function RubricFields({
  rubric,
  checked,
  errors,
  idPrefix = "rubric",
}: {
  rubric: PublicExercise["rubric"];
  checked: Record<string, string | number | undefined>;
  errors: Record<string, string | undefined>;
  idPrefix?: string;
}) {
  return (
    <>
      {rubric.map((c) => {
        const error = errors[`criterion.${c.id}`];
        const errorId = `${idPrefix}-${c.id}-error`;
        return (
          <fieldset key={c.id} className="question rubric" aria-describedby={error ? errorId : undefined}>
            <legend>
              {c.criterion} <span className="muted small">({c.objectives.join(", ")})</span>
            </legend>
            {error ? <FieldError id={errorId}>{error}</FieldError> : null}
            {c.levels.map((l) => {
              const id = `${idPrefix}-${c.id}-${l.score}`;
              return (
                <div key={l.score} className="choice">
                  <input
                    type="radio"
                    name={`criterion.${c.id}`}
                    value={l.score}
                    id={id}
                    aria-describedby={`${id}-descriptor`}
                    defaultChecked={checked[c.id] !== undefined && String(checked[c.id]) === String(l.score)}
                  />
                  <div>
                    <label htmlFor={id}>
                      <strong>
                        {l.score} · {l.label}
                      </strong>
                    </label>
                    <p id={`${id}-descriptor`} className="hint">
                      {l.descriptor}
                    </p>
                  </div>
                </div>
              );
            })}
          </fieldset>
        );
      })}
    </>
  );
}
