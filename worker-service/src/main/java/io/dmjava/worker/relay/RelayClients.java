package io.dmjava.worker.relay;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The replication client of a relay: raw events, heartbeats, every event the upstream logs. */
final class RelayClients {
    private static final Logger log = LoggerFactory.getLogger(RelayClients.class);
    /** MARIA_SLAVE_CAPABILITY_GTID: GTID events as logged instead of fake BEGIN queries. */
    private static final int MARIADB_CAPABILITY_GTID = 4;

    private RelayClients() {
    }

    static BinaryLogClient create(RelayOptions opts, RelayMeta at) {
        BinaryLogClient client = new BinaryLogClient(opts.upstream().host(), opts.upstream().port(), opts.upstream().user(),
                opts.upstream().password() == null ? "" : opts.upstream().password());
        client.setServerId(opts.serverId());
        client.setBlocking(true);
        // The relay reconnects itself, from where its files end.
        client.setKeepAlive(false);
        client.setHeartbeatInterval(opts.heartbeat().toMillis());
        client.setConnectTimeout(opts.heartbeat().toMillis() * 30);
        client.setMariaDbSlaveCapability(MARIADB_CAPABILITY_GTID);
        // Without it MariaDB leaves its ANNOTATE_ROWS events out of the stream, and the files would have holes.
        client.setUseSendAnnotateRowsEvent(true);
        client.setEventDeserializer(new RawEventDeserializer(0));
        client.setBinlogFilename(at.binlogName());
        client.setBinlogPosition(at.binlogPos());
        client.setThreadFactory(r -> {
            Thread t = new Thread(r, "relay-stream-" + opts.source());
            t.setDaemon(true);
            return t;
        });
        return client;
    }

    static void disconnect(BinaryLogClient client, String source) {
        try {
            client.disconnect();
        } catch (IOException | RuntimeException e) {
            log.debug("relay {}: closing the replication connection: {}", source, e.toString());
        }
    }
}
