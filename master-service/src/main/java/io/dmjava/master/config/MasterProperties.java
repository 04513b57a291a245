package io.dmjava.master.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The master's own settings ({@code dm.master.*}).
 *
 * @param name          this master's name, unique in the cluster; also its etcd member name (default {@code master1})
 * @param advertiseAddr {@code host:port} other masters and workers use to reach this master's API
 *                      (default {@code 127.0.0.1:<server.port>})
 * @param sessionTtl    lease TTL of the master's etcd session: a dead leader is replaced after about
 *                      this long (default 3s; whole seconds, at least 1s; a longer TTL tolerates longer
 *                      GC pauses or network blips at the price of a slower failover)
 * @param etcdTimeout   timeout of one etcd call made while serving a request (default 5s)
 * @param forwardTimeout how long a follower waits for the leader's answer to a forwarded request (default 60s)
 */
@ConfigurationProperties("dm.master")
public record MasterProperties(
        @DefaultValue("master1") String name,
        String advertiseAddr,
        @DefaultValue("3s") Duration sessionTtl,
        @DefaultValue("5s") Duration etcdTimeout,
        @DefaultValue("60s") Duration forwardTimeout) {

    public MasterProperties {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("dm.master.name '" + name
                    + "' is invalid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (sessionTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("dm.master.session-ttl must be at least 1s, got " + sessionTtl);
        }
    }

    /** The advertised address, defaulting to loopback and the given server port. */
    public String advertiseAddrOr(int serverPort) {
        return advertiseAddr == null || advertiseAddr.isBlank() ? "127.0.0.1:" + serverPort : advertiseAddr;
    }
}
