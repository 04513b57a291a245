package io.dmjava.master.source;

import io.dmjava.master.db.MasterJdbc;
import io.dmjava.api.model.SourceStatus;
import io.dmjava.api.model.SourceView;
import io.dmjava.master.scheduler.Scheduler;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.etcd.EtcdKeys;
import io.dmjava.store.EtcdTxn;
import io.dmjava.store.RelayWorkerStore;
import io.dmjava.model.secret.SecretCipher;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.model.source.SourceMeta;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.SourceStore;
import io.dmjava.store.SubTaskStore;
import io.dmjava.store.TaskStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sources: create (validate, probe the server, encrypt the password, store, bind), read (always
 * masked), update, delete, enable/disable. Runs on the leader: followers forward to it.
 */
public final class SourceService {
    private static final Logger log = LoggerFactory.getLogger(SourceService.class);

    private final SourceStore sources;
    private final TaskStore tasks;
    private final SubTaskStore subtasks;
    private final Scheduler scheduler;
    private final SecretCipher cipher;
    private final EtcdKv kv;
    private final UpstreamProbe probe = new UpstreamProbe();

    public SourceService(SourceStore sources, TaskStore tasks, SubTaskStore subtasks, Scheduler scheduler,
                         SecretCipher cipher, EtcdKv kv) {
        this.sources = sources;
        this.tasks = tasks;
        this.subtasks = subtasks;
        this.scheduler = scheduler;
        this.cipher = cipher;
        this.kv = kv;
    }

    public SourceView create(SourceConfig requested, String workerName) {
        SourceValidator.validate(requested);
        SourceConfig s = requested.withDefaults();
        if (sources.get(s.sourceName()).isPresent()) {
            throw new DmException(ErrorCode.SOURCE_EXISTS, s.sourceName());
        }
        if (workerName != null && !workerName.isBlank()) {
            scheduler.requireFree(workerName, s.sourceName());
        }
        SourceMeta meta = precheck(s, s.password());
        SourceConfig stored = s.withFlavor(s.flavor().isEmpty() ? meta.flavor() : s.flavor())
                .withPassword(cipher.encrypt(s.password()));
        if (!sources.create(stored, meta)) {
            throw new DmException(ErrorCode.SOURCE_EXISTS, s.sourceName());
        }
        log.info("created source '{}' ({} {} at {}:{}, server_id {})", s.sourceName(), meta.flavor(), meta.version(),
                s.host(), s.port(), meta.serverId());
        if (workerName != null && !workerName.isBlank()) {
            scheduler.bindTo(s.sourceName(), workerName);
        } else {
            scheduler.reconcileSoon();
        }
        return view(stored);
    }

    public SourceView update(String name, SourceConfig requested) {
        SourceConfig old = stored(name);
        SourceValidator.validate(requested);
        if (!name.equals(requested.sourceName())) {
            throw new DmException(ErrorCode.SOURCE_INVALID, "source_name '" + requested.sourceName()
                    + "' differs from the path's '" + name + "'; a source cannot be renamed, create a new one");
        }
        SourceConfig s = requested.withDefaults();
        boolean keepPassword = requested.password() == null || requested.password().equals(SourceConfig.MASKED_PASSWORD);
        String plain = keepPassword ? cipher.decrypt(old.password()) : s.password();
        SourceMeta meta = precheck(s, plain);
        SourceConfig stored = s.withFlavor(s.flavor().isEmpty() ? meta.flavor() : s.flavor()).withPassword(cipher.encrypt(plain));
        sources.put(stored, meta);
        scheduler.reconcileSoon();
        return view(stored);
    }

    public SourceView get(String name, boolean withStatus) {
        SourceConfig s = stored(name);
        return SourceView.of(s, tasksUsing(name), withStatus ? status(name) : null);
    }

    public List<SourceView> list(boolean withStatus, Boolean enableRelay) {
        List<SourceView> out = new ArrayList<>();
        for (SourceConfig s : sources.all().values()) {
            boolean relay = s.relayConfig() != null && Boolean.TRUE.equals(s.relayConfig().enableRelay());
            if (enableRelay == null || enableRelay == relay) {
                out.add(SourceView.of(s, tasksUsing(s.sourceName()), withStatus ? status(s.sourceName()) : null));
            }
        }
        return out;
    }

    public List<SourceStatus> status(String name) {
        stored(name);
        String worker = scheduler.workerOf(name).orElse("");
        String error = worker.isEmpty() ? "no free worker is bound to this source yet; it is bound as soon as one is free" : null;
        return List.of(new SourceStatus(name, worker, null, error));
    }

    /** Deletes a source. With running tasks on it, only with {@code force}, which removes their subtasks too. */
    public void delete(String name, boolean force) {
        stored(name);
        List<String> using = tasksUsing(name);
        if (!using.isEmpty() && !force) {
            throw new DmException(ErrorCode.SOURCE_IN_USE, name, using);
        }
        EtcdTxn txn = kv.txn().delete(sources.key(name)).delete(sources.metaKey(name)).delete(EtcdKeys.STAGE_RELAY.key(name))
                .deletePrefix(subtasks.configPrefix(name)).deletePrefix(subtasks.stagePrefix(name));
        RelayWorkerStore relayWorkers = new RelayWorkerStore(kv);
        relayWorkers.workersOf(name).forEach(w -> txn.delete(relayWorkers.key(w)));
        txn.commit();
        scheduler.reconcileSoon();
        log.info("deleted source '{}'{}", name, using.isEmpty() ? "" : " and its subtasks of " + using);
    }

    public void setEnabled(String name, boolean enabled) {
        SourceConfig s = stored(name);
        sources.put(s.withEnable(enabled));
        scheduler.reconcileSoon();
    }

    public void transfer(String name, String worker) {
        stored(name);
        if (worker == null || worker.isBlank()) {
            throw new DmException(ErrorCode.INVALID_PARAMETER, "worker_name", "required");
        }
        scheduler.transfer(name, worker);
    }

    /** The schemas (or, with {@code schema}, the tables) of the source, for choosing what to migrate. */
    public List<String> listUpstream(String name, String schema) {
        SourceConfig s = stored(name);
        try (Connection c = UpstreamProbe.connect(name, s.host(), s.port(), s.user(), cipher.decrypt(s.password()))) {
            return UpstreamCatalog.list(c, schema);
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SOURCE_UNREACHABLE, e, name, s.host() + ":" + s.port(), MasterJdbc.firstLine(e.getMessage()));
        }
    }

    /** The stored config (password encrypted) or 404. */
    public SourceConfig stored(String name) {
        return sources.get(name).orElseThrow(() -> new DmException(ErrorCode.SOURCE_NOT_FOUND, name));
    }

    private SourceMeta precheck(SourceConfig s, String plainPassword) {
        UpstreamProbe.Result r;
        try (Connection c = UpstreamProbe.connect(s.sourceName(), s.host(), s.port(), s.user(), plainPassword)) {
            r = probe.probe(c);
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SOURCE_UNREACHABLE, e, s.sourceName(), s.host() + ":" + s.port(), MasterJdbc.firstLine(e.getMessage()));
        }
        List<String> problems = new ArrayList<>(r.problems().stream().map(UpstreamProbe.Problem::toString).toList());
        if (!s.flavor().isEmpty() && !s.flavor().equals(r.flavor())) {
            problems.add("flavor is '" + s.flavor() + "' but the server is " + r.flavor() + " (" + r.version() + "): omit flavor to detect it");
        }
        for (Map.Entry<String, SourceMeta> other : sources.metas().entrySet()) {
            if (!other.getKey().equals(s.sourceName()) && other.getValue().serverId() == r.serverId() && r.serverId() != 0) {
                problems.add("server_id " + r.serverId() + " is also the server_id of source '" + other.getKey()
                        + "': the same server cannot be two sources, and replicas need distinct server_ids");
            }
        }
        if (!problems.isEmpty()) {
            throw new DmException(ErrorCode.SOURCE_PRECHECK_FAILED, s.sourceName(), String.join("; ", problems));
        }
        return new SourceMeta(r.serverId(), r.flavor(), r.version());
    }

    private List<String> tasksUsing(String source) {
        List<String> out = new ArrayList<>();
        for (TaskConfig t : tasks.all().values()) {
            if (t.sourceNames().stream().anyMatch(n -> Objects.equals(n, source))) {
                out.add(t.name());
            }
        }
        return out;
    }

    private SourceView view(SourceConfig stored) {
        return SourceView.of(stored, tasksUsing(stored.sourceName()), null);
    }
}
