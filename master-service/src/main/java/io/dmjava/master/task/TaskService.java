package io.dmjava.master.task;

import io.dmjava.master.db.MasterJdbc;
import io.dmjava.api.model.TaskMigrateTarget;
import io.dmjava.model.cluster.Stage;
import io.dmjava.model.error.DmException;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.secret.SecretCipher;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.model.task.SubTaskConfig;
import io.dmjava.model.task.TableRouter;
import io.dmjava.model.task.TableRules;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskValidationException;
import io.dmjava.model.task.TaskValidator;
import io.dmjava.master.source.SourceService;
import io.dmjava.master.source.UpstreamCatalog;
import io.dmjava.master.source.UpstreamProbe;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.EtcdTxn;
import io.dmjava.store.BinlogOperatorStore;
import io.dmjava.store.LoadTaskStore;
import io.dmjava.store.PessimismInfoStore;
import io.dmjava.store.PessimismOperationStore;
import io.dmjava.store.SourceStore;
import io.dmjava.store.SubTaskStore;
import io.dmjava.store.TaskStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tasks: create and update (validated up front, target reachable, one etcd transaction writing the
 * task and its subtasks), delete, read, routing preview, and the DM task-file converter.
 */
public final class TaskService {
    private static final Logger log = LoggerFactory.getLogger(TaskService.class);

    private final TaskStore tasks;
    private final SubTaskStore subtasks;
    private final SourceStore sources;
    private final SourceService sourceService;
    private final SecretCipher cipher;
    private final EtcdKv kv;
    private final LoadTaskStore loadTasks;
    private final BinlogOperatorStore binlogOperators;
    private final PessimismInfoStore pessimismInfos;
    private final PessimismOperationStore pessimismOps;

    public TaskService(TaskStore tasks, SubTaskStore subtasks, SourceStore sources, SourceService sourceService,
                       SecretCipher cipher, EtcdKv kv) {
        this.tasks = tasks;
        this.subtasks = subtasks;
        this.sources = sources;
        this.sourceService = sourceService;
        this.cipher = cipher;
        this.kv = kv;
        this.loadTasks = new LoadTaskStore(kv);
        this.binlogOperators = new BinlogOperatorStore(kv, new JsonCodec());
        this.pessimismInfos = new PessimismInfoStore(kv, new JsonCodec());
        this.pessimismOps = new PessimismOperationStore(kv, new JsonCodec());
    }

    public TaskConfig create(TaskConfig requested) {
        TaskConfig t = validated(requested);
        if (tasks.get(t.name()).isPresent()) {
            throw new DmException(ErrorCode.TASK_EXISTS, t.name());
        }
        TaskConfig stored = encrypted(t);
        EtcdTxn txn = kv.txn().requireAbsent(tasks.key(t.name())).put(tasks.key(t.name()), tasks.encode(stored));
        long generation = System.currentTimeMillis();
        for (String source : t.sourceNames()) {
            txn.requirePresent(sources.key(source))
                    .put(subtasks.configKey(source, t.name()), subtasks.encode(new SubTaskConfig(stored, source, generation)));
        }
        if (!txn.commit()) {
            // Lost a race: the task appeared or a source vanished since validation.
            if (tasks.get(t.name()).isPresent()) {
                throw new DmException(ErrorCode.TASK_EXISTS, t.name());
            }
            String missing = t.sourceNames().stream().filter(n -> sources.get(n).isEmpty()).findFirst().orElse("?");
            throw new DmException(ErrorCode.SOURCE_NOT_FOUND, missing);
        }
        log.info("created task '{}' ({}, sources {})", t.name(), t.taskMode(), t.sourceNames());
        return stored;
    }

    /** Replaces a task's config; the caller has checked that none of its subtasks is active. */
    public TaskConfig update(String name, TaskConfig requested) {
        TaskConfig old = stored(name);
        if (requested != null && requested.name() != null && !requested.name().equals(name)) {
            throw new DmException(ErrorCode.INVALID_PARAMETER, "task.name",
                    "'" + requested.name() + "' differs from the path's '" + name + "'; a task cannot be renamed");
        }
        TaskConfig t = validated(requested);
        boolean keepPassword = t.targetConfig().password() == null || t.targetConfig().password().equals(SourceConfig.MASKED_PASSWORD);
        TaskConfig stored = keepPassword ? t.withTarget(t.targetConfig().withPassword(old.targetConfig().password())) : encrypted(t);
        EtcdTxn txn = kv.txn().put(tasks.key(name), tasks.encode(stored));
        for (String gone : old.sourceNames()) {
            if (!t.sourceNames().contains(gone)) {
                txn.delete(subtasks.configKey(gone, name)).delete(subtasks.stageKey(gone, name)).delete(loadTasks.key(name, gone))
                        // Its shard-DDL info goes; its operation stays for the pessimist, which keeps a done one as
                        // proof that a lock's DDL ran until the lock is removed (docs/shard-ddl.md).
                        .delete(pessimismInfos.key(name, gone));
            }
        }
        // New rules make earlier dump files meaningless: a new generation starts the dump over.
        long generation = System.currentTimeMillis();
        for (String source : t.sourceNames()) {
            txn.put(subtasks.configKey(source, name), subtasks.encode(new SubTaskConfig(stored, source, generation)));
        }
        txn.commit();
        return stored;
    }

    /** Deletes a task, its subtasks and its shard-DDL state; the caller has checked (unless forced) that none is active. */
    public void delete(String name) {
        TaskConfig t = stored(name);
        EtcdTxn txn = kv.txn().delete(tasks.key(name)).deletePrefix(loadTasks.taskPrefix(name))
                .deletePrefix(binlogOperators.taskPrefix(name))
                .deletePrefix(pessimismInfos.taskPrefix(name)).deletePrefix(pessimismOps.taskPrefix(name));
        for (String source : t.sourceNames()) {
            txn.delete(subtasks.configKey(source, name)).delete(subtasks.stageKey(source, name));
        }
        txn.commit();
        log.info("deleted task '{}'", name);
    }

    public TaskConfig stored(String name) {
        return tasks.get(name).orElseThrow(() -> new DmException(ErrorCode.TASK_NOT_FOUND, name));
    }

    public List<TaskConfig> all() {
        return List.copyOf(tasks.all().values());
    }

    /** Which upstream tables of a source the task migrates, and where to. */
    public List<TaskMigrateTarget> migrateTargets(String name, String source, String schemaPattern, String tablePattern) {
        TaskConfig t = stored(name);
        if (!t.sourceNames().contains(source)) {
            throw new DmException(ErrorCode.SOURCE_NOT_FOUND, source + "' in task '" + name);
        }
        TableRouter router = TableRules.forSource(t, source);
        Pattern sp = glob(schemaPattern);
        Pattern tp = glob(tablePattern);
        SourceConfig s = sourceService.stored(source);
        List<TaskMigrateTarget> out = new ArrayList<>();
        try (Connection c = UpstreamProbe.connect(source, s.host(), s.port(), s.user(), cipher.decrypt(s.password()))) {
            for (String schema : UpstreamCatalog.list(c, null)) {
                if (!sp.matcher(schema).matches() || !router.schemaMayMatch(schema)) {
                    continue;
                }
                for (String table : UpstreamCatalog.list(c, schema)) {
                    if (tp.matcher(table).matches()) {
                        router.route(schema, table).ifPresent(to ->
                                out.add(new TaskMigrateTarget(schema, table, to.schema(), to.table())));
                    }
                }
            }
        } catch (SQLException e) {
            throw new DmException(ErrorCode.SOURCE_UNREACHABLE, e, source, s.host() + ":" + s.port(), MasterJdbc.firstLine(e.getMessage()));
        }
        return out;
    }

    /** Task JSON -> validated config, or a 400 listing every problem (target reachability included). */
    private TaskConfig validated(TaskConfig requested) {
        if (requested == null) {
            throw new DmException(ErrorCode.INVALID_PARAMETER, "task", "missing");
        }
        TaskConfig t = TaskValidator.applyDefaults(requested);
        List<TaskValidator.Problem> problems = new ArrayList<>(TaskValidator.validate(t, sources.all().keySet()));
        if (!problems.isEmpty()) {
            throw new TaskValidationException(problems);
        }
        String plain = cipher.decrypt(t.targetConfig().password());
        try (Connection ignored = TargetDatabase.connect(t.targetConfig(), plain)) {
            // reachable
        } catch (SQLException e) {
            throw new DmException(ErrorCode.TARGET_UNREACHABLE, e, t.targetConfig().host(), e.getMessage());
        }
        return t;
    }

    private TaskConfig encrypted(TaskConfig t) {
        return t.withTarget(t.targetConfig().withPassword(cipher.encrypt(t.targetConfig().password())));
    }

    /** Expected stage by source for one task. */
    Map<String, Stage> stages(TaskConfig t) {
        Map<String, Stage> out = new java.util.LinkedHashMap<>();
        for (String source : t.sourceNames()) {
            out.put(source, subtasks.stage(source, t.name()).orElse(Stage.New));
        }
        return out;
    }

    private static Pattern glob(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            return Pattern.compile(".*", Pattern.DOTALL);
        }
        StringBuilder re = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            re.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

}
