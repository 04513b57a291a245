package io.dmjava.model.task;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.task.yaml.TaskFile;
import io.dmjava.model.task.yaml.TaskFileReader;
import io.dmjava.model.task.yaml.TaskFileWriter;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * Converts between a task ({@link TaskConfig}, DM's OpenAPI form) and DM's task configuration file
 * ({@code task.yaml}), for {@code /api/v1/tasks/converters} and dmctl.
 *
 * <p>Reading translates {@code block-allow-list} (or legacy {@code black-white-list}), {@code routes} and
 * {@code filters} into {@code table_migrate_rule} entries that select, route and filter the same tables,
 * and the per-instance dump/load/sync settings into {@code source_config}. Whatever a task cannot
 * express (e.g. {@code ignore-dbs}, filter action {@code Do}, {@code expression-filter}, different
 * settings per instance) is rejected with {@link ErrorCode#TASK_FILE_UNSUPPORTED}, naming the construct
 * and a workaround; nothing is silently dropped. See {@link TaskFileReader} and {@link TaskFileWriter}.
 *
 * <p>{@code fromYaml(toYaml(t))} equals {@code t} after {@link TaskValidator#applyDefaults} on both
 * sides when, per source, no rule uses a regex in a routed or filtered rule, rules of one source are
 * listed together, and every binlog_filter_rule is used; otherwise the result still migrates the same
 * tables the same way. Passwords pass through unchanged (DM files usually hold dmctl-encrypted ones).
 * Thread-safe; the mapper is configured once per instance.
 */
public final class TaskYamlConverter {
    private final YAMLMapper mapper = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(YAMLWriteFeature.WRITE_DOC_START_MARKER)
            .enable(YAMLWriteFeature.MINIMIZE_QUOTES)
            .build();

    /**
     * Writes a task as a DM task file.
     *
     * @throws DmException {@link ErrorCode#TASK_NOT_CONVERTIBLE} when a rule has no DM equivalent
     *                     (a {@code ~} regex in a routed or filtered rule, a source without rules, ...)
     */
    public String toYaml(TaskConfig task) {
        return mapper.writeValueAsString(TaskFileWriter.write(task));
    }

    /**
     * Reads a DM task file. The result is not validated: pass it to {@link TaskValidator#validate}.
     *
     * @throws DmException {@link ErrorCode#TASK_FILE_MALFORMED} (not YAML, with line and column),
     *                     {@link ErrorCode#TASK_FILE_INVALID} (unknown key, wrong type, undefined rule name),
     *                     {@link ErrorCode#TASK_FILE_UNSUPPORTED} (valid DM, but not expressible as a task)
     */
    public TaskConfig fromYaml(String yaml) {
        if (yaml == null || yaml.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("#")
                || line.strip().equals("---"))) {
            throw new DmException(ErrorCode.TASK_FILE_INVALID, "the top level", "the file is empty");
        }
        TaskFile file;
        try {
            file = mapper.readValue(yaml, TaskFile.class);
        } catch (DatabindException e) {
            throw new DmException(ErrorCode.TASK_FILE_INVALID, e, where(e), e.getOriginalMessage());
        } catch (JacksonException e) {
            TokenStreamLocation at = e.getLocation();
            throw new DmException(ErrorCode.TASK_FILE_MALFORMED, e, at == null ? 0 : at.getLineNr(),
                    at == null ? 0 : at.getColumnNr(), e.getOriginalMessage());
        }
        if (file == null) {
            throw new DmException(ErrorCode.TASK_FILE_INVALID, "the top level", "the file is empty");
        }
        return TaskFileReader.read(file);
    }

    /**
     * {@code mysql-instances[0].source-id (near line 12, column 5)}: the key path in the file's own terms.
     * "Near" because the parser reports where it stopped, which may be just after the offending value.
     */
    private static String where(DatabindException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        TokenStreamLocation at = e.getLocation();
        String position = at == null ? "" : " (near line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return (path.isEmpty() ? "the top level" : path) + position;
    }
}
