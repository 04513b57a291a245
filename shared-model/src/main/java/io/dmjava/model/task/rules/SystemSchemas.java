package io.dmjava.model.task.rules;

import java.util.Locale;
import java.util.Set;

/** MySQL's own schemas, which are never migrated whatever the rules say (DM skips them the same way). */
public final class SystemSchemas {
    private static final Set<String> NAMES = Set.of("mysql", "information_schema", "performance_schema", "sys");

    private SystemSchemas() {
    }

    /**
     * Compared case-insensitively: {@code INFORMATION_SCHEMA} is a system schema on every server, and a
     * user schema named {@code MySQL} next to {@code mysql} is too confusing to migrate by accident.
     */
    public static boolean isSystem(String schema) {
        return schema != null && NAMES.contains(schema.toLowerCase(Locale.ROOT));
    }
}
