package io.dmjava.model.etcd;

/**
 * The etcd key layout of the cluster: one {@link KeyFamily} per kind of record. Store classes use
 * these and never build key strings themselves, so the layout lives in one place.
 */
public final class EtcdKeys {
    private EtcdKeys() {
    }

    /** Election name used with etcd's Election API; the leader's value is a {@code LeaderInfo}. */
    public static final String MASTER_ELECTION = "/dm/master/leader";
    /** The cluster id, written once by the first leader. */
    public static final String CLUSTER_ID = "/dm/cluster/id";

    public static final KeyFamily MASTER_REGISTERED = new KeyFamily("/dm/master/registered");
    /** Under the master's session lease: present while the master process lives. */
    public static final KeyFamily MASTER_ALIVE = new KeyFamily("/dm/master/alive");
    /** A master named here does not campaign (DM's {@code operate-leader evict}). */
    public static final KeyFamily MASTER_EVICTED = new KeyFamily("/dm/master/evicted");

    public static final KeyFamily WORKER_REGISTERED = new KeyFamily("/dm/worker/registered");
    /** Under the worker's keepalive lease. */
    public static final KeyFamily WORKER_ALIVE = new KeyFamily("/dm/worker/alive");

    public static final KeyFamily SOURCE_CONFIG = new KeyFamily("/dm/source/config");
    /** What the precheck learned of the source's server (server_id, flavor, version). */
    public static final KeyFamily SOURCE_META = new KeyFamily("/dm/source/meta");
    public static final KeyFamily BOUND = new KeyFamily("/dm/bound");
    public static final KeyFamily LAST_BOUND = new KeyFamily("/dm/last-bound");
    public static final KeyFamily RELAY_WORKER = new KeyFamily("/dm/relay-worker");
    public static final KeyFamily TASK_CONFIG = new KeyFamily("/dm/task/config");
    public static final KeyFamily SUBTASK_CONFIG = new KeyFamily("/dm/subtask/config");
    public static final KeyFamily STAGE_RELAY = new KeyFamily("/dm/stage/relay");
    public static final KeyFamily STAGE_SUBTASK = new KeyFamily("/dm/stage/subtask");
    /**
     * {@code /dm/load-task/{task}/{source}} -> the worker holding that subtask's unfinished load (its dump
     * files are local to it), so the scheduler gives the source back to that worker in preference.
     */
    public static final KeyFamily LOAD_TASK = new KeyFamily("/dm/load-task");
    /**
     * {@code /dm/binlog-operator/{task}/{source}} -> JSON list of {@link io.dmjava.model.task.BinlogOperator}s
     * waiting for their DDL event (DM's {@code binlog skip|replace}); the worker removes each once used.
     */
    public static final KeyFamily BINLOG_OPERATOR = new KeyFamily("/dm/binlog-operator");
    /**
     * {@code /dm/shardddl/pessimism/info/{task}/{source}} -> {@link io.dmjava.model.shardddl.PessimismInfo}: the
     * source's sync unit waits at a sharded DDL (pessimistic shard mode).
     */
    public static final KeyFamily PESSIMISM_INFO = new KeyFamily("/dm/shardddl/pessimism/info");
    /**
     * {@code /dm/shardddl/pessimism/operation/{task}/{source}} -> {@link io.dmjava.model.shardddl.PessimismOperation}:
     * the leader's answer (run or skip the DDL); the worker marks it done.
     */
    public static final KeyFamily PESSIMISM_OPERATION = new KeyFamily("/dm/shardddl/pessimism/operation");
}
