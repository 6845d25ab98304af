import type { PublicExercise } from "~/content/schema";
import { levelText } from "~/lib/exercise";
import { FieldError } from "./form";

/**
 * The one rendering of a rubric form (self-assessment, peer review, instructor's review): a fieldset
 * per criterion, naming the objectives it is evidence for, with a radio per level
 * (`criterion.<criterionId>`, the level's score as the value) whose descriptor is visible and tied to
 * it; a criterion's error is shown and announced with its group. `values` and `errors` are keyed by
 * field name, as a form failure echoes them.
 */
export function RubricFields({
  rubric,
  values,
  errors,
  idPrefix = "rubric",
}: {
  rubric: PublicExercise["rubric"];
  values: Record<string, string | undefined>;
  errors: Record<string, string | undefined>;
  idPrefix?: string;
}) {
  return (
    <>
      {rubric.map((c) => {
        const name = `criterion.${c.id}`;
        const error = errors[name];
        const errorId = `${idPrefix}-${c.id}-error`;
        return (
          <fieldset key={c.id} className="question rubric" aria-describedby={error ? errorId : undefined}>
            <legend>
              {c.criterion} <span className="muted small">(evidence for {c.objectives.join(", ")})</span>
            </legend>
            {error ? <FieldError id={errorId}>{error}</FieldError> : null}
            {c.levels.map((l) => {
              const id = `${idPrefix}-${c.id}-${l.score}`;
              return (
                <div key={l.score} className="choice">
                  <input
                    type="radio"
                    name={name}
                    value={l.score}
                    id={id}
                    aria-describedby={`${id}-descriptor`}
                    defaultChecked={values[name] === String(l.score)}
                  />
                  <div>
                    <label htmlFor={id}>
                      <strong>{levelText(c.levels, l.score)}</strong>
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
