package io.dmjava.model.task;

import io.dmjava.model.task.TaskValidator.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Collects validation problems in the order they are found, with small helpers shared by the checks. */
final class Problems {
    private final List<Problem> list = new ArrayList<>();

    void add(String field, String message) {
        list.add(new Problem(field, message));
    }

    List<Problem> toList() {
        return List.copyOf(list);
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** Requires a non-blank value; returns whether it was present. */
    boolean require(String field, String value) {
        if (isBlank(value)) {
            add(field, "is required");
            return false;
        }
        return true;
    }

    /** A value that, when given, must be one of {@code allowed}. */
    void oneOf(String field, String value, List<String> allowed, boolean required) {
        if (isBlank(value)) {
            if (required) {
                add(field, "is required; use one of " + String.join(", ", allowed));
            }
            return;
        }
        if (!allowed.contains(value)) {
            add(field, "'" + value + "' is not allowed; use one of " + String.join(", ", allowed));
        }
    }

    /** A number that, when given, must lie in {@code [min, max]}. */
    void inRange(String field, Number value, long min, long max) {
        if (value != null && (value.longValue() < min || value.longValue() > max)) {
            add(field, value + " is out of range; use a value from " + min + " to " + max);
        }
    }

    /** A Java regular expression that must compile; returns whether it did. */
    boolean compiles(String field, String regex) {
        try {
            Pattern.compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            add(field, "'" + regex + "' is not a valid regular expression: " + e.getDescription()
                    + (e.getIndex() >= 0 ? " near index " + e.getIndex() : ""));
            return false;
        }
    }
}
