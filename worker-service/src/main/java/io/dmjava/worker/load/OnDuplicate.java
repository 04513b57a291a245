package io.dmjava.worker.load;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.unit.UnitException;
import java.util.Locale;

/** What the loader does with a row whose primary or unique key already exists downstream (DM's {@code on_duplicate}). */
public enum OnDuplicate {
    /** The dumped row replaces the existing one (REPLACE). The default, as in DM. */
    REPLACE,
    /** The existing row stays (IGNORE). */
    IGNORE,
    /** The load fails with {@code LOAD_DUPLICATE_KEY}, naming the table and the key. */
    ERROR;

    public static OnDuplicate parse(String value) {
        if (value == null || value.isBlank()) {
            return REPLACE;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UnitException(ErrorCode.LOAD_INVALID_CONFIG, "on_duplicate", "unknown value '" + value + "'");
        }
    }
}
