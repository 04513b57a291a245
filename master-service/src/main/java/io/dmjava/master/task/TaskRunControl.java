package io.dmjava.master.task;

import io.dmjava.api.model.SubTaskStatus;
import io.dmjava.master.scheduler.Scheduler;
import io.dmjava.master.scheduler.WorkerStatus;
import io.dmjava.model.cluster.Stage;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.secret.SecretCipher;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.model.task.SubTaskConfig;
import io.dmjava.model.task.TableRules;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskStartArgs;
import io.dmjava.master.source.SourceService;
import io.dmjava.master.source.UpstreamProbe;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.EtcdTxn;
import io.dmjava.store.SubTaskStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start, stop, pause and resume: the master only writes expected stages (one transaction per
 * operation); the bound workers converge to them. Status is asked of those workers.
 */
public final class TaskRunControl {
    private static final Logger log = LoggerFactory.getLogger(TaskRunControl.class);

    private final TaskService tasks;
    private final SubTaskStore subtasks;
    private final SourceService sources;
    private final Scheduler scheduler;
    private final SecretCipher cipher;
    private final EtcdKv kv;
    private final WorkerClient workers = new WorkerClient();
    private final TaskPrecheck precheck = new TaskPrecheck();
    private final StartArgsResolver startArgs;

    public TaskRunControl(TaskService tasks, SubTaskStore subtasks, SourceService sources, Scheduler scheduler,
                          SecretCipher cipher, EtcdKv kv) {
        this.tasks = tasks;
        this.subtasks = subtasks;
        this.sources = sources;
        this.scheduler = scheduler;
        this.cipher = cipher;
        this.kv = kv;
        this.startArgs = new StartArgsResolver(sources, cipher);
    }

    /** Runs the precheck, optionally drops the task's checkpoints, then sets the subtasks Running. Returns warnings. */
    public List<String> start(String name, boolean removeMeta, List<String> sourceList) {
        return start(name, removeMeta, sourceList, null, null);
    }

    /**
     * As {@link #start(String, boolean, List)}, with DM's {@code start_time} and {@code safe_mode_time_duration}:
     * stored with each subtask's config for its sync unit (docs/sync.md "start_time"); a start without them clears
     * those of an earlier start.
     */
    public List<String> start(String name, boolean removeMeta, List<String> sourceList, String startTime,
                              String safeModeTimeDuration) {
        TaskConfig t = tasks.stored(name);
        StartArgsResolver.Checked checked = StartArgsResolver.check(t, startTime, safeModeTimeDuration);
        List<String> targets = select(t, sourceList);
        Map<String, Stage> stages = tasks.stages(t);
        for (String s : targets) {
            if (stages.get(s) == Stage.Running || stages.get(s) == Stage.Paused) {
                throw new DmException(ErrorCode.TASK_STAGE_CONFLICT, name, s, stages.get(s), "start");
            }
        }
        List<String> warnings = runPrecheck(t, targets);
        Map<String, TaskStartArgs> args = startArgs.resolve(checked, targets);
        if (removeMeta) {
            try (Connection c = TargetDatabase.connect(t.targetConfig(), cipher.decrypt(t.targetConfig().password()))) {
                List<String> dropped = TargetDatabase.dropTaskMeta(c, t.metaSchema(), name);
                log.info("task '{}': remove_meta dropped {}", name, dropped);
            } catch (SQLException e) {
                throw new DmException(ErrorCode.TARGET_UNREACHABLE, e, t.targetConfig().host(), e.getMessage());
            }
        }
        setStage(t, targets, Stage.Running, removeMeta, args);
        return warnings;
    }

    public void stop(String name, List<String> sourceList) {
        TaskConfig t = tasks.stored(name);
        setStage(t, select(t, sourceList), Stage.Stopped, false, null);
    }

    public void pause(String name, List<String> sourceList) {
        transition(name, sourceList, Stage.Running, Stage.Paused, "pause");
    }

    /**
     * Resumes paused subtasks: those paused by the user (expected stage Paused), and those an error paused
     * (expected Running, reported Paused). Writing Running again is a new command to the worker even when the
     * expected stage already was Running, so the latter restart from their checkpoints, as DM's resume-task does.
     */
    public void resume(String name, List<String> sourceList) {
        TaskConfig t = tasks.stored(name);
        List<String> targets = select(t, sourceList);
        Map<String, Stage> stages = tasks.stages(t);
        List<String> running = targets.stream().filter(s -> stages.get(s) == Stage.Running).toList();
        if (!running.isEmpty()) {
            for (SubTaskStatus st : status(name, running)) {
                if (!Stage.Paused.name().equals(st.stage())) {
                    throw new DmException(ErrorCode.TASK_STAGE_CONFLICT, name, st.sourceName(), st.stage(), "resume");
                }
            }
        }
        for (String s : targets) {
            if (stages.get(s) != Stage.Paused && stages.get(s) != Stage.Running) {
                throw new DmException(ErrorCode.TASK_STAGE_CONFLICT, name, s, stages.get(s), "resume");
            }
        }
        setStage(t, targets, Stage.Running, false, null);
    }

    /**
     * Fails if any subtask is active: expected to run or paused, and not finished by its worker (a
     * finished full migration keeps its expected stage Running, yet is idle).
     */
    public void requireIdle(String name, String verb) {
        TaskConfig t = tasks.stored(name);
        Map<String, Stage> expected = tasks.stages(t);
        List<String> active = new ArrayList<>();
        for (SubTaskStatus st : status(name, null)) {
            Stage e = expected.get(st.sourceName());
            boolean finished = Stage.Finished.name().equals(st.stage());
            if ((e == Stage.Running || e == Stage.Paused) && !finished) {
                active.add(st.sourceName() + " (" + st.stage() + ")");
            }
        }
        if (!active.isEmpty()) {
            throw new DmException(ErrorCode.TASK_RUNNING, name, verb, active);
        }
    }

    /** Live status of each subtask, from the worker running it (or why none answers). */
    public List<SubTaskStatus> status(String name, List<String> sourceList) {
        TaskConfig t = tasks.stored(name);
        Map<String, Stage> stages = tasks.stages(t);
        Map<String, String> addrs = new java.util.HashMap<>();
        for (WorkerStatus w : scheduler.workers()) {
            addrs.put(w.name(), w.addr());
        }
        List<SubTaskStatus> out = new ArrayList<>();
        for (String source : select(t, sourceList)) {
            Optional<String> worker = scheduler.workerOf(source);
            String[] error = {null};
            long generation = subtasks.config(source, name).map(c -> c.generation()).orElse(0L);
            long revision = Optional.ofNullable(subtasks.stageCommands(source).get(name)).map(c -> c.revision()).orElse(0L);
            Optional<SubTaskStatus> live = worker.filter(addrs::containsKey)
                    .flatMap(w -> workers.subtaskStatus(addrs.get(w), name, generation, revision, error));
            if (live.isPresent()) {
                out.add(live.get());
                continue;
            }
            // A worker that simply has not picked up the latest command yet is not an error.
            String why = worker.isEmpty() ? "no worker is bound to source '" + source + "' yet; the subtask runs once one is"
                    : error[0];
            out.add(new SubTaskStatus(name, source, worker.orElse(""), stages.get(source).name(), "", null, null, null, null,
                    stages.get(source) == Stage.Running ? why : null));
        }
        return out;
    }

    private List<String> runPrecheck(TaskConfig t, List<String> targets) {
        Set<String> ignored = new HashSet<>(t.ignoreCheckingItems() == null ? List.of() : t.ignoreCheckingItems());
        boolean replicates = !Set.of("full", "dump", "load").contains(t.taskMode());
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (String source : targets) {
            SourceConfig s = sources.stored(source);
            try (Connection c = UpstreamProbe.connect(source, s.host(), s.port(), s.user(), cipher.decrypt(s.password()))) {
                TaskPrecheck.Outcome o = precheck.check(source, c, TableRules.forSource(t, source), replicates, ignored);
                errors.addAll(o.errors());
                warnings.addAll(o.warnings());
            } catch (DmException e) {
                errors.add(source + " connection: " + e.getMessage());
            } catch (SQLException e) {
                errors.add(source + " connection: " + e.getMessage());
            }
        }
        try (Connection ignoredConn = TargetDatabase.connect(t.targetConfig(), cipher.decrypt(t.targetConfig().password()))) {
            // reachable
        } catch (DmException | SQLException e) {
            errors.add("target: " + e.getMessage());
        }
        if (!errors.isEmpty()) {
            throw new DmException(ErrorCode.TASK_PRECHECK_FAILED, t.name(), String.join("; ", errors));
        }
        warnings.forEach(w -> log.warn("task '{}' precheck warning: {}", t.name(), w));
        return warnings;
    }

    private void transition(String name, List<String> sourceList, Stage from, Stage to, String verb) {
        TaskConfig t = tasks.stored(name);
        List<String> targets = select(t, sourceList);
        Map<String, Stage> stages = tasks.stages(t);
        for (String s : targets) {
            if (stages.get(s) != from) {
                throw new DmException(ErrorCode.TASK_STAGE_CONFLICT, name, s, stages.get(s), verb);
            }
        }
        setStage(t, targets, to, false, null);
    }

    /**
     * Writes the stages in one transaction; {@code restart} also gives the subtasks a new generation (start over);
     * {@code startArgs} (unless null) replaces each subtask's start arguments (absent: none).
     */
    private void setStage(TaskConfig t, List<String> targets, Stage stage, boolean restart, Map<String, TaskStartArgs> startArgs) {
        EtcdTxn txn = kv.txn();
        long generation = System.currentTimeMillis();
        for (String source : targets) {
            txn.requirePresent(subtasks.configKey(source, t.name())).put(subtasks.stageKey(source, t.name()), SubTaskStore.encode(stage));
            if (restart || startArgs != null) {
                subtasks.config(source, t.name()).ifPresent(c -> {
                    SubTaskConfig next = restart ? c.withGeneration(generation) : c;
                    next = startArgs == null ? next : next.withStartArgs(startArgs.get(source));
                    if (!next.equals(c)) {
                        txn.put(subtasks.configKey(source, t.name()), subtasks.encode(next));
                    }
                });
            }
        }
        if (!txn.commit()) {
            throw new DmException(ErrorCode.TASK_NOT_FOUND, t.name());
        }
        log.info("task '{}': {} -> {}", t.name(), targets, stage);
    }

    private static List<String> select(TaskConfig t, List<String> sourceList) {
        if (sourceList == null || sourceList.isEmpty()) {
            return t.sourceNames();
        }
        for (String s : sourceList) {
            if (!t.sourceNames().contains(s)) {
                throw new DmException(ErrorCode.INVALID_PARAMETER, "source_name_list",
                        "'" + s + "' is not a source of task '" + t.name() + "' (its sources: " + t.sourceNames() + ")");
            }
        }
        return List.copyOf(sourceList);
    }
}
