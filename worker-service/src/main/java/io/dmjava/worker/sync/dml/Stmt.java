package io.dmjava.worker.sync.dml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One downstream statement with its JDBC parameters, in placeholder order.
 *
 * @param sql    the statement text with {@code ?} placeholders
 * @param params the values to bind; may contain nulls (SQL NULL)
 */
public record Stmt(String sql, List<Object> params) {
    public Stmt {
        // List.copyOf rejects nulls, and NULL is an ordinary column value here
        params = Collections.unmodifiableList(new ArrayList<>(params));
    }
}
