package io.dmjava.worker.dump;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.unit.UnitException;
import java.util.Locale;

/**
 * How the dump makes its export connections see one consistent state (DM's {@code consistency} values).
 * <ul>
 *   <li>{@code flush}: FLUSH TABLES WITH READ LOCK held while every connection starts its snapshot and the
 *       binlog position is read; then released. Exact position, writes blocked for well under a second.</li>
 *   <li>{@code lock}: LOCK TABLES ... READ on the selected tables instead (for users without RELOAD).</li>
 *   <li>{@code auto}: {@code flush}, falling back to {@code lock} when FTWRL is not permitted.</li>
 *   <li>{@code none}: no lock; each connection has its own snapshot, so tables may come from slightly
 *       different instants. Each chunk records the position its connection read (exact on MariaDB through
 *       {@code binlog_snapshot_file/position}, a lower bound on MySQL); the sync unit must then replay
 *       from the smallest chunk position in safe mode until the largest.</li>
 * </ul>
 */
public enum Consistency {
    AUTO, FLUSH, LOCK, NONE;

    /** Parses a task's {@code consistency}; {@code null} or blank means {@code auto}. */
    public static Consistency parse(String value) {
        if (value == null || value.isBlank()) {
            return AUTO;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UnitException(ErrorCode.DUMP_INVALID_CONFIG, "consistency", "unknown value '" + value + "'");
        }
    }

    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }
}
