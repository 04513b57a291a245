package io.dmjava.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts an {@link EtcdCluster} before a test class and closes it after. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();
 * }</pre>
 *
 * <p>{@code @Nested} classes share the outer class's cluster: only the outermost callback starts and
 * stops it.
 */
public final class EtcdClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private final int members;
    private final NestingGuard guard = new NestingGuard();
    private volatile EtcdCluster cluster;

    private EtcdClusterExtension(int members) {
        this.members = members;
    }

    /** A one-member cluster. */
    public static EtcdClusterExtension singleNode() {
        return new EtcdClusterExtension(1);
    }

    /** A cluster of {@code n} members. */
    public static EtcdClusterExtension members(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("members must be >= 1, got " + n);
        }
        return new EtcdClusterExtension(n);
    }

    /** The running cluster; only valid between the class's before-all and after-all phases. */
    public EtcdCluster cluster() {
        EtcdCluster current = cluster;
        if (current == null) {
            throw new IllegalStateException("etcd cluster not running: register the extension on a static"
                    + " field with @RegisterExtension and use it from test methods or @BeforeAll");
        }
        return current;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (guard.enter()) {
            cluster = EtcdCluster.start(members);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (guard.exit() && cluster != null) {
            try {
                cluster.close();
            } finally {
                cluster = null;
            }
        }
    }
}
