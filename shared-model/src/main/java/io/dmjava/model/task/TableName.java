package io.dmjava.model.task;

import java.util.Objects;

/** A schema-qualified table name, upstream or downstream. */
public record TableName(String schema, String table) {
    public TableName {
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
    }

    /** {@code `schema`.`table`} with backticks doubled inside names. */
    public String quoted() {
        return quote(schema) + "." + quote(table);
    }

    public static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String toString() {
        return schema + "." + table;
    }
}
