package io.dmjava.model.task;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to do, instead of running it, with the DDL event at one binlog position of one subtask: DM's
 * {@code binlog skip} and {@code binlog replace}. The usual use is a DDL the downstream rejected (the subtask
 * pauses with error 51104 naming the position): skip it, or replace it with statements the downstream accepts,
 * then resume. An operator is used once and removed when the sync checkpoint has passed its event.
 *
 * @param op        {@code skip} or {@code replace}
 * @param binlogPos {@code binlog-file:offset}, the start (as in DM and the error message) or end of the DDL event
 * @param sqls      for {@code replace}: DDL statements in upstream names, run in the event's place through the
 *                  same routing, filters and schema tracking as the original; empty for {@code skip}
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record BinlogOperator(@JsonProperty("op") String op, @JsonProperty("binlog_pos") String binlogPos,
                             @JsonProperty("sqls") List<String> sqls) {
    public static final String SKIP = "skip";
    public static final String REPLACE = "replace";
    private static final Pattern POSITION = Pattern.compile("([^:\\s/]+):(\\d{1,18})");

    public BinlogOperator {
        sqls = sqls == null ? List.of() : List.copyOf(sqls);
    }

    /** A binlog position as {@code file:offset}. */
    public record Position(String file, long offset) {
        @Override
        public String toString() {
            return file + ":" + offset;
        }
    }

    /** The position, or null when {@code binlogPos} is not {@code file:offset}. */
    public static Position parsePosition(String text) {
        Matcher m = text == null ? null : POSITION.matcher(text.strip());
        return m != null && m.matches() ? new Position(m.group(1), Long.parseLong(m.group(2))) : null;
    }

    @JsonIgnore
    public Position position() {
        return parsePosition(binlogPos);
    }

    @JsonIgnore
    public boolean isSkip() {
        return SKIP.equals(op);
    }

    /** Whether this operator is for the event that starts at {@code start} and ends at {@code end} in {@code file}. */
    public boolean matches(String file, long start, long end) {
        Position p = position();
        return p != null && p.file().equals(file) && (p.offset() == start || p.offset() == end);
    }

    /** Every problem with this operator, in the caller's terms (empty when it is valid). */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (!SKIP.equals(op) && !REPLACE.equals(op)) {
            out.add("op: '" + op + "' is not 'skip' or 'replace'");
        }
        if (position() == null) {
            out.add("binlog_pos: '" + binlogPos + "' is not 'binlog-file:offset' (e.g. mysql-bin.000003:4567)");
        }
        if (REPLACE.equals(op) && (sqls.isEmpty() || sqls.stream().anyMatch(s -> s == null || s.isBlank()))) {
            out.add("sqls: 'replace' needs one or more non-empty DDL statements");
        }
        if (SKIP.equals(op) && !sqls.isEmpty()) {
            out.add("sqls: 'skip' takes no statements (use op 'replace' to run others instead)");
        }
        return out;
    }
}
