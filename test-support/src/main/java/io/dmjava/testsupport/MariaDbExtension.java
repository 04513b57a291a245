package io.dmjava.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link MariaDbInstance} before a test class and closes it after. Register it on a static
 * field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MariaDbExtension SOURCE = MariaDbExtension.upstream();
 * }</pre>
 *
 * <p>{@code @Nested} classes share the outer class's server: only the outermost callback starts and
 * stops it.
 */
public final class MariaDbExtension implements BeforeAllCallback, AfterAllCallback {

    private final MariaDbInstance.Flavour flavour;
    private final NestingGuard guard = new NestingGuard();
    private volatile MariaDbInstance instance;

    private MariaDbExtension(MariaDbInstance.Flavour flavour) {
        this.flavour = flavour;
    }

    /** A binlog-enabled DM source. */
    public static MariaDbExtension upstream() {
        return new MariaDbExtension(MariaDbInstance.Flavour.UPSTREAM);
    }

    /** A DM target without binlog. */
    public static MariaDbExtension downstream() {
        return new MariaDbExtension(MariaDbInstance.Flavour.DOWNSTREAM);
    }

    /** The running server; only valid between the class's before-all and after-all phases. */
    public MariaDbInstance instance() {
        MariaDbInstance current = instance;
        if (current == null) {
            throw new IllegalStateException("MariaDB not running: register the extension on a static field"
                    + " with @RegisterExtension and use it from test methods or @BeforeAll");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (guard.enter()) {
            instance = MariaDbInstance.start(flavour, ProcessRegistry.get().nextServerId());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (guard.exit() && instance != null) {
            try {
                instance.close();
            } finally {
                instance = null;
            }
        }
    }
}
