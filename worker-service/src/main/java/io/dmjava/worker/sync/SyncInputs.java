package io.dmjava.worker.sync;

import io.dmjava.worker.dump.BinlogPosition;
import io.dmjava.worker.relay.BinlogNames;
import io.dmjava.worker.relay.RelayLog;
import io.dmjava.worker.relay.RelayLogs;
import io.dmjava.worker.relay.RelayMeta;
import io.dmjava.worker.sync.binlog.BinlogInput;
import io.dmjava.worker.sync.binlog.BinlogStream;
import io.dmjava.worker.sync.binlog.BinlogStreamException;
import io.dmjava.worker.sync.binlog.BinlogStreamOptions;
import io.dmjava.worker.sync.binlog.RelayStream;
import io.dmjava.worker.unit.UnitContext;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the sync unit's input: the relay of the source when this worker runs it (stage Running) and the relay
 * has the file to resume in (among its files, and its committed end is in that file or a later one; a relay a few
 * events behind in that file is waited for, as DM's reader does); else the upstream. Reading the upstream, the unit moves to the relay as soon as that holds
 * (a relay enabled later catches up, or the unit catches up into the relay's range); reading the relay, it moves
 * back to the upstream when the relay stops. Both moves happen at a transaction boundary, where a checkpoint
 * would resume, and are checked once a second.
 *
 * <p>It also tells the relay which file the unit's checkpoint is in, so the purger keeps it
 * ({@link RelayLogs#need}), whichever input is read: a relay enabled later starts at that file.
 */
final class SyncInputs {
    private static final Logger log = LoggerFactory.getLogger(SyncInputs.class);
    private static final long CHECK_NANOS = 1_000_000_000L;

    private final RelayLogs relays;
    private final UnitContext ctx;
    private final SyncOptions opts;
    private final long serverId;
    private long nextCheck = System.nanoTime() + CHECK_NANOS;
    private String needed;

    SyncInputs(RelayLogs relays, UnitContext ctx, SyncOptions opts, long serverId) {
        this.relays = relays;
        this.ctx = ctx;
        this.opts = opts;
        this.serverId = serverId;
    }

    /** Opens the input to read from {@code from} (a transaction boundary). */
    BinlogInput open(BinlogPosition from) throws BinlogStreamException {
        nextCheck = System.nanoTime() + CHECK_NANOS;
        Optional<RelayLog> relay = covering(from);
        if (relay.isPresent()) {
            return RelayStream.open(relay.get(), ctx.source(), from);
        }
        return BinlogStream.open(ctx.source(), from, !from.isKnown(),
                BinlogStreamOptions.of(serverId).withHeartbeatInterval(opts.heartbeat()));
    }

    /** Whether the other input should be read from {@code boundary} on (checked at most once a second). */
    boolean shouldSwitch(BinlogInput current, BinlogPosition boundary) {
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return false;
        }
        nextCheck = now + CHECK_NANOS;
        boolean relay = covering(boundary).isPresent();
        if (relay == current.type().equals("local")) {
            return false;
        }
        log.info("sync {}/{}: switching its input from {} to {} at {}", ctx.taskName(), ctx.sourceName(),
                current.type().equals("local") ? "the relay" : "the upstream",
                relay ? "the relay" : "the upstream", boundary);
        return true;
    }

    /** The unit will resume from {@code checkpoint} at the earliest: its file stays in the relay. */
    void needs(BinlogPosition checkpoint) {
        if (!Objects.equals(needed, checkpoint.file())) {
            needed = checkpoint.file();
            relays.need(ctx.sourceName(), ctx.taskName(), needed);
        }
    }

    /** The running relay of the source when it holds {@code from}. */
    private Optional<RelayLog> covering(BinlogPosition from) {
        if (!from.isKnown()) {
            return Optional.empty(); // a GTID-only start: the upstream finds the file
        }
        Optional<RelayLog> relay = relays.running(ctx.sourceName());
        if (relay.isEmpty()) {
            return Optional.empty();
        }
        Optional<RelayMeta> end = relay.get().committed();
        if (end.isEmpty()) {
            return Optional.empty();
        }
        if (BinlogNames.ORDER.compare(end.get().binlogName(), from.file()) < 0) {
            // The relay has not reached that file (a file of that name past its meta is a crash's leftover).
            return Optional.empty();
        }
        try {
            return relay.get().files().contains(from.file()) ? relay : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
