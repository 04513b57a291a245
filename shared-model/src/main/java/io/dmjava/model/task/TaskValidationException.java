package io.dmjava.model.task;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.TaskValidator.Problem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A task with one or more problems ({@link ErrorCode#TASK_INVALID}, HTTP 400). The message lists every
 * problem as {@code field: message}, joined by {@code "; "}, so a user fixes them all in one round.
 */
public class TaskValidationException extends DmException {
    private final List<Problem> problems;

    public TaskValidationException(List<Problem> problems) {
        super(ErrorCode.TASK_INVALID, join(problems));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }

    private static String join(List<Problem> problems) {
        return problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    }
}
