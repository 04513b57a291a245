package io.dmjava.master.relay;

import io.dmjava.api.model.DisableRelayRequest;
import io.dmjava.api.model.EnableRelayRequest;
import io.dmjava.api.model.PurgeRelayRequest;
import io.dmjava.api.model.PurgeRelayResult;
import io.dmjava.api.model.RelayStatus;
import io.dmjava.api.model.SourceStatus;
import io.dmjava.master.scheduler.Scheduler;
import io.dmjava.model.cluster.SourceBound;
import io.dmjava.model.cluster.Stage;
import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.model.task.GtidSyntax;
import io.dmjava.store.BoundStore;
import io.dmjava.store.RelayStageStore;
import io.dmjava.store.RelayWorkerStore;
import io.dmjava.store.SourceStore;
import io.dmjava.store.WorkerStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/sources/{source}/relay/enable|disable|purge} and the relay part of the source status. Enable and
 * disable write the expected relay stage, the source's relay_config and the relay-worker keys in one etcd
 * transaction; the workers follow them. Purge is forwarded to every worker running the relay.
 */
public final class RelayControl {
    private static final Logger log = LoggerFactory.getLogger(RelayControl.class);
    private static final Pattern BINLOG_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,200}\\.\\d{1,10}");

    private final SourceStore sources;
    private final WorkerStore workers;
    private final BoundStore bounds;
    private final RelayWorkerStore relayWorkers;
    private final RelayStageStore stages;
    private final Scheduler scheduler;
    private final RelayWorkerClient client = new RelayWorkerClient();

    public RelayControl(SourceStore sources, WorkerStore workers, BoundStore bounds, RelayWorkerStore relayWorkers,
                        RelayStageStore stages, Scheduler scheduler) {
        this.sources = sources;
        this.workers = workers;
        this.bounds = bounds;
        this.relayWorkers = relayWorkers;
        this.stages = stages;
        this.scheduler = scheduler;
    }

    public void enable(String source, EnableRelayRequest req) {
        SourceConfig s = stored(source);
        EnableRelayRequest r = req == null ? new EnableRelayRequest(null, null, null, null) : req;
        if (r.relayBinlogName() != null && !r.relayBinlogName().isBlank() && !BINLOG_NAME.matcher(r.relayBinlogName()).matches()) {
            throw new DmException(ErrorCode.RELAY_REQUEST_INVALID, source,
                    "relay_binlog_name '" + r.relayBinlogName() + "' is not a binlog file name");
        }
        if (r.relayBinlogGtid() != null && !r.relayBinlogGtid().isBlank()) {
            String error = GtidSyntax.check(r.relayBinlogGtid().strip());
            if (error != null) {
                throw new DmException(ErrorCode.RELAY_REQUEST_INVALID, source, "relay_binlog_gtid " + error);
            }
        }
        if (r.relayDir() != null && (r.relayDir().contains("..") || r.relayDir().contains("\0"))) {
            throw new DmException(ErrorCode.RELAY_REQUEST_INVALID, source, "relay_dir may not contain '..'");
        }
        Set<String> names = workerNames(r.workerNameList());
        for (String w : names) {
            checkWorker(w, source);
        }
        SourceConfig.RelayConfig old = s.relayConfig() == null ? SourceConfig.RelayConfig.DISABLED : s.relayConfig();
        SourceConfig.RelayConfig relay = new SourceConfig.RelayConfig(true, pick(r.relayBinlogName(), old.relayBinlogName()),
                pick(r.relayBinlogGtid(), old.relayBinlogGtid()), pick(r.relayDir(), old.relayDir()));
        if (!stages.enable(withRelay(s, relay), names)) {
            throw new DmException(ErrorCode.RELAY_WORKER_INVALID, String.join(",", names), source,
                    "one of them started pulling another source's relay log meanwhile; retry");
        }
        log.info("relay of source '{}' enabled (relay workers {}, {})", source, names, relay);
        scheduler.reconcileSoon();
    }

    public void disable(String source, DisableRelayRequest req) {
        SourceConfig s = stored(source);
        Set<String> names = workerNames(req == null ? null : req.workerNameList());
        for (String w : names) {
            Optional<String> of = relayWorkers.relaySource(w);
            if (of.isEmpty() || !of.get().equals(source)) {
                throw new DmException(ErrorCode.RELAY_WORKER_INVALID, w, source, "it is not a relay worker of this source");
            }
        }
        SourceConfig.RelayConfig old = s.relayConfig() == null ? SourceConfig.RelayConfig.DISABLED : s.relayConfig();
        SourceConfig.RelayConfig relay = new SourceConfig.RelayConfig(false, old.relayBinlogName(), old.relayBinlogGtid(),
                old.relayDir());
        stages.disable(withRelay(s, relay), names, names.isEmpty());
        log.info("relay of source '{}' disabled{}", source, names.isEmpty() ? "" : " on " + names);
        scheduler.reconcileSoon();
    }

    /** Forwards the purge to every alive worker that runs the relay of the source. */
    public List<PurgeRelayResult> purge(String source, PurgeRelayRequest req) {
        stored(source);
        String name = req == null ? null : req.relayBinlogName();
        if (name == null || name.isBlank()) {
            throw new DmException(ErrorCode.RELAY_REQUEST_INVALID, source, "relay_binlog_name is required");
        }
        if (!BINLOG_NAME.matcher(name).matches()) {
            throw new DmException(ErrorCode.RELAY_REQUEST_INVALID, source, "relay_binlog_name '" + name + "' is not a binlog file name");
        }
        if (stages.stage(source).filter(st -> st == Stage.Running).isEmpty()) {
            throw new DmException(ErrorCode.RELAY_NOT_ENABLED, source, "");
        }
        List<PurgeRelayResult> out = new ArrayList<>();
        for (WorkerInfo w : relayRunners(source)) {
            out.add(client.purge(w.addr(), source, name));
        }
        if (out.isEmpty()) {
            throw new DmException(ErrorCode.RELAY_NOT_ENABLED, source, ": no alive worker runs it at the moment");
        }
        log.info("relay of source '{}' purged before {}: {}", source, name, out);
        return out;
    }

    /** The source's statuses with each worker's relay status when the relay is enabled; a row per relay worker. */
    public List<SourceStatus> withRelay(String source, List<SourceStatus> statuses) {
        if (stages.stage(source).isEmpty()) {
            return statuses;
        }
        List<SourceStatus> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (SourceStatus st : statuses) {
            WorkerInfo w = st.workerName() == null || st.workerName().isEmpty() ? null
                    : workers.registered(st.workerName()).orElse(null);
            out.add(new SourceStatus(st.sourceName(), st.workerName(), w == null ? null : client.status(w.addr(), source),
                    st.errorMsg()));
            seen.add(st.workerName());
        }
        for (String name : relayWorkers.workersOf(source)) {
            if (seen.add(name)) {
                Optional<WorkerInfo> w = workers.registered(name);
                RelayStatus rs = w.isPresent() && workers.isAlive(name) ? client.status(w.get().addr(), source) : null;
                out.add(new SourceStatus(source, name, rs, rs == null ? "relay worker '" + name + "' is offline" : null));
            }
        }
        return out;
    }

    private List<WorkerInfo> relayRunners(String source) {
        Set<String> names = new LinkedHashSet<>();
        bounds.workerOf(source).ifPresent(names::add);
        names.addAll(relayWorkers.workersOf(source));
        List<WorkerInfo> out = new ArrayList<>();
        for (String n : names) {
            if (workers.isAlive(n)) {
                workers.registered(n).ifPresent(out::add);
            }
        }
        return out;
    }

    private void checkWorker(String w, String source) {
        if (workers.registered(w).isEmpty()) {
            throw new DmException(ErrorCode.RELAY_WORKER_INVALID, w, source, "no worker of that name is registered");
        }
        if (!workers.isAlive(w)) {
            throw new DmException(ErrorCode.RELAY_WORKER_INVALID, w, source, "it is offline");
        }
        Optional<String> bound = bounds.bound(w).map(SourceBound::source);
        if (bound.isPresent() && !bound.get().equals(source)) {
            throw new DmException(ErrorCode.RELAY_WORKER_INVALID, w, source, "it is bound to source '" + bound.get() + "'");
        }
        Optional<String> relay = relayWorkers.relaySource(w);
        if (relay.isPresent() && !relay.get().equals(source)) {
            throw new DmException(ErrorCode.RELAY_WORKER_INVALID, w, source,
                    "it pulls the relay log of source '" + relay.get() + "'");
        }
    }

    private static Set<String> workerNames(List<String> list) {
        Set<String> out = new LinkedHashSet<>();
        if (list != null) {
            for (String w : list) {
                if (w == null || w.isBlank()) {
                    throw new DmException(ErrorCode.INVALID_PARAMETER, "worker_name_list", "contains an empty name");
                }
                out.add(w.strip());
            }
        }
        return out;
    }

    private SourceConfig stored(String name) {
        return sources.get(name).orElseThrow(() -> new DmException(ErrorCode.SOURCE_NOT_FOUND, name));
    }

    private static String pick(String requested, String old) {
        return requested == null || requested.isBlank() ? old : requested.strip();
    }

    private static SourceConfig withRelay(SourceConfig s, SourceConfig.RelayConfig relay) {
        return new SourceConfig(s.sourceName(), s.host(), s.port(), s.user(), s.password(), s.enableGtid(), s.enable(),
                s.flavor(), s.security(), s.purge(), relay);
    }
}
