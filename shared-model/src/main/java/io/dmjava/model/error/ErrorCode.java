package io.dmjava.model.error;

/**
 * The catalogue of errors a user can meet. Codes are stable: scripts and alerts may match on them.
 * Each carries the HTTP status it maps to, a message template ({@link String#format} style) in the
 * user's terms, and a workaround.
 */
public enum ErrorCode {
    // 10xxx: the request itself
    INVALID_REQUEST_BODY(10001, 400, "request body is not valid JSON: %s",
            "send a JSON document matching the schema at /api/v1/dm.json"),
    INVALID_PARAMETER(10002, 400, "invalid value for '%s': %s",
            "correct the field as described and send the request again"),
    UNSUPPORTED_MEDIA_TYPE(10003, 415, "content type %s is not supported",
            "send the body with 'Content-Type: application/json'"),
    METHOD_NOT_ALLOWED(10004, 405, "method %s is not allowed on %s",
            "see /api/v1/dm.json for the methods each path accepts"),
    ROUTE_NOT_FOUND(10005, 404, "no API route %s %s",
            "see /api/v1/dm.json for the available routes"),

    // 20xxx: cluster members
    MASTER_NOT_FOUND(20001, 404, "master '%s' does not exist",
            "list the masters with GET /api/v1/cluster/masters"),
    MASTER_STILL_ALIVE(20002, 409, "master '%s' is still running; only a stopped master can be removed",
            "stop the master process first, then delete it"),
    WORKER_NOT_FOUND(20003, 404, "worker '%s' does not exist",
            "list the workers with GET /api/v1/cluster/workers"),
    WORKER_STILL_ALIVE(20004, 409, "worker '%s' is online (stage %s); only an offline worker can be removed",
            "stop the worker process first (it goes offline at once on a graceful stop, or after its keepalive TTL)"),
    NO_LEADER(20005, 503, "no leader master is elected at the moment",
            "retry in a few seconds; if it persists, check that a majority of masters (and their etcd members) are running"),
    LEADER_UNREACHABLE(20006, 503, "the leader master %s at %s did not answer: %s",
            "retry in a few seconds; a new leader is elected if it stays unreachable"),
    EVICT_REFUSED(20007, 409, "cannot evict the leader '%s': %s",
            "start another master or cancel the eviction of one (op cancel-evict) first"),
    ETCD_UNAVAILABLE(20008, 503, "the cluster store (etcd) did not answer: %s",
            "check that a majority of etcd members are running and reachable"),
    MASTER_REMOVE_FAILED(20009, 500, "removing master '%s' from the etcd cluster failed: %s",
            "check the etcd members with 'etcdctl member list' and retry"),

    // 30xxx: sources (owned by the sources API)
    SOURCE_INVALID(30001, 400, "invalid source: %s",
            "correct the listed fields; see the Source schema at /api/v1/dm.json"),
    SOURCE_EXISTS(30002, 409, "source '%s' already exists",
            "use PUT /api/v1/sources/{source-name} to change it, or choose another source_name"),
    SOURCE_NOT_FOUND(30003, 404, "source '%s' does not exist",
            "list the sources with GET /api/v1/sources"),
    SOURCE_UNREACHABLE(30004, 400, "cannot connect to source '%s' at %s: %s",
            "check host, port, user and password, and that the server accepts connections from the workers and masters"),
    SOURCE_PRECHECK_FAILED(30005, 400, "source '%s' is not ready for migration: %s",
            "fix each listed item on the upstream server (or the source's user), then retry"),
    SOURCE_IN_USE(30006, 409, "source '%s' is used by task(s) %s",
            "stop and delete those tasks first, or delete with ?force=true to remove their subtasks on this source too"),
    WORKER_NOT_FREE(30007, 409, "worker '%s' cannot take source '%s': %s",
            "choose a worker whose bound_stage is 'free' (GET /api/v1/cluster/workers), or omit worker_name"),
    SOURCE_BUSY(30008, 409, "source '%s' cannot be transferred now: %s",
            "stop or pause its running tasks first (GET /api/v1/tasks/{task}/status shows them)"),
    TRANSFER_TARGET_NOT_ELIGIBLE(30009, 409, "worker '%s' cannot take source '%s' by transfer: %s",
            "choose a worker whose bound_stage is 'free', or a relay worker of this source (GET /api/v1/cluster/workers)"),
    TRANSFER_NOT_IN_SYNC(30010, 409, "source '%s' cannot be transferred while running subtask(s) are not in the sync unit: %s",
            "wait until they reach the sync unit (GET /api/v1/tasks/{task-name}/status shows each unit), or pause those"
                    + " tasks first: paused subtasks move with the source and stay paused"),
    TRANSFER_PAUSE_TIMEOUT(30011, 503, "worker '%s' did not pause subtask(s) %s of source '%s' within %d s: %s;"
            + " the source was not moved and the subtasks were set running again",
            "check the worker's log and that the master can reach its address, then retry the transfer"),
    TRANSFER_CONFLICT(30012, 409, "source '%s' changed while it was being transferred: %s",
            "check GET /api/v1/sources/{source-name}/status and GET /api/v1/cluster/workers, then retry the transfer"),
    RELAY_WORKER_INVALID(30013, 400, "worker '%s' cannot pull the relay log of source '%s': %s",
            "name registered, online workers in worker_name_list (GET /api/v1/cluster/workers); a worker pulls the"
                    + " relay log of at most one source"),
    RELAY_REQUEST_INVALID(30014, 400, "invalid relay request for source '%s': %s",
            "relay_binlog_name is a binlog file name such as mysql-bin.000003, relay_binlog_gtid a GTID set of the"
                    + " source's flavour; purge needs relay_binlog_name"),
    RELAY_NOT_ENABLED(30015, 409, "the relay of source '%s' is not enabled%s",
            "enable it first: POST /api/v1/sources/{source}/relay/enable"),

    // 40xxx: tasks, table rules, task files (owned by the task model)
    TASK_INVALID(40001, 400, "task config is invalid: %s",
            "correct every listed field (paths are JSON paths into the task) and submit the task again"),
    TABLE_RULE_INVALID(40002, 400, "%s is not a valid table pattern: %s",
            "use a wildcard pattern ('*', '?', '[a-z]') or '~' followed by a valid regular expression"),
    TASK_FILE_MALFORMED(40003, 400, "task file is not valid YAML at line %d, column %d: %s",
            "fix the YAML syntax at that position (indentation, quoting, a ':' after each key)"),
    TASK_FILE_INVALID(40004, 400, "task file is not a valid DM task at %s: %s",
            "compare the file with DM's task configuration file reference and correct that key"),
    TASK_FILE_UNSUPPORTED(40005, 400, "task file uses %s, which a task's table_migrate_rule cannot express: %s",
            "rewrite that part with do-dbs/do-tables, routes and filters with action Ignore, or create the task through the API"),
    TASK_NOT_CONVERTIBLE(40006, 400, "task '%s' cannot be written as a DM task file: %s",
            "change the listed table rule so that DM's route and filter rules can express it, or keep using the task through the API"),

    // 41xxx: task lifecycle (owned by the task API)
    TASK_NOT_FOUND(41001, 404, "task '%s' does not exist",
            "list the tasks with GET /api/v1/tasks"),
    TASK_EXISTS(41002, 409, "task '%s' already exists",
            "use PUT /api/v1/tasks/{task-name} to change it (while stopped), or choose another name"),
    TASK_RUNNING(41003, 409, "task '%s' cannot be %s while subtasks run: %s",
            "stop the task first (POST /api/v1/tasks/{task-name}/stop), or use ?force=true where offered"),
    TASK_PRECHECK_FAILED(41004, 400, "task '%s' failed its precheck: %s",
            "fix each listed item, or skip a check with ignore_checking_items if you accept the risk"),
    TARGET_UNREACHABLE(41005, 400, "cannot connect to the target database at %s: %s",
            "check target_config host, port, user and password, and that the workers can reach it"),
    TASK_STAGE_CONFLICT(41006, 409, "task '%s' on source '%s' is %s; cannot %s it",
            "check GET /api/v1/tasks/{task-name}/status; start, stop, pause and resume follow New/Stopped -> Running <-> Paused"),
    BINLOG_OPERATOR_INVALID(41008, 400, "invalid binlog operator for task '%s' on source '%s': %s",
            "send {\"op\": \"skip\"} or {\"op\": \"replace\", \"sqls\": [\"ALTER TABLE ...\"]}, with binlog_pos as"
                    + " 'binlog-file:offset' from the subtask's error 51104 (or no binlog_pos while it is paused on that error)"),
    BINLOG_OPERATOR_NOT_FOUND(41009, 404, "task '%s' on source '%s' has no binlog operator at %s",
            "list them with GET /api/v1/tasks/{task-name}/sources/{source-name}/binlog"),
    BINLOG_POSITION_NEEDED(41010, 409, "binlog_pos is needed: the subtask of task '%s' on source '%s' is not paused on a"
            + " failed DDL (%s)",
            "give binlog_pos as 'binlog-file:offset' of the DDL event (SHOW BINLOG EVENTS on the source shows it)"),
    TABLE_STRUCTURE_BUSY(41011, 409, "the table structures of task '%s' on source '%s' cannot be changed while it runs",
            "pause the task (POST /api/v1/tasks/{task-name}/pause), set the structure, then resume"),
    TABLE_STRUCTURE_NOT_FOUND(41012, 404, "task '%s' on source '%s' tracks no structure for %s: %s",
            "list what is tracked with GET /api/v1/tasks/{task-name}/sources/{source-name}/schemas; a table the sync unit"
                    + " has not met yet can be set with PUT all the same"),
    TABLE_STRUCTURE_INVALID(41013, 400, "sql_content for %s is not a usable CREATE TABLE: %s",
            "send the upstream table's structure as SHOW CREATE TABLE prints it (the name in the statement is replaced"
                    + " by the one in the path)"),
    SUBTASK_WORKER_UNAVAILABLE(41014, 503, "no worker serves task '%s' on source '%s' at the moment: %s",
            "check GET /api/v1/sources/{source-name}/status and GET /api/v1/cluster/workers, then retry"),
    TASK_START_TIME_INVALID(41015, 400, "invalid value for 'start_time': %s",
            "write it as " + io.dmjava.model.task.TaskStartArgs.START_TIME_FORMATS),
    TASK_SAFE_MODE_DURATION_INVALID(41016, 400, "invalid value for 'safe_mode_time_duration': %s",
            "write it as " + io.dmjava.model.task.TaskStartArgs.DURATION_FORMATS),
    TASK_START_TIME_TOO_LATE(41017, 400, "start_time %s is too late, no binlog location matches it: it is after the"
            + " current time of source '%s' (%s)",
            "give a time at or before the upstream's current time (in its time zone, or with an explicit offset)"),
    TASK_START_ARGS_NOT_APPLICABLE(41018, 400, "'%s' does not apply to task '%s': %s",
            "start_time is for task_mode 'incremental' (mode 'all' starts replicating at its dump's position);"
                    + " safe_mode_time_duration for modes that replicate (incremental, all); omit the field"),
    TASK_START_TIME_UNRESOLVED(41019, 400, "start_time %s cannot be resolved on source '%s': %s",
            "check that the source is reachable and its time zone (@@time_zone) is known to it, or give start_time"
                    + " with an explicit offset such as '2021-10-21T00:01:00+08:00'"),

    // 50xxx: dump and load units (owned by the dump/load units)
    DUMP_SNAPSHOT_FAILED(50001, 500, "cannot take a consistent snapshot of source '%s': %s",
            "grant the dump user RELOAD (for FLUSH TABLES WITH READ LOCK) or LOCK TABLES, plus REPLICATION CLIENT"
                    + " (BINLOG MONITOR on MariaDB) and SELECT; or set full_migrate_conf.consistency to 'none'"),
    DUMP_TABLE_FAILED(50002, 500, "dumping table %s failed: %s",
            "check that the source is reachable and the table readable by the dump user, then resume the task"),
    DUMP_WRITE_FAILED(50003, 500, "cannot write dump files in %s: %s",
            "check free space and permissions of the data dir, then resume the task"),
    DUMP_INVALID_CONFIG(50004, 400, "invalid dump setting %s: %s",
            "use consistency auto|flush|lock|none and export_threads >= 1"),
    DUMP_SOURCE_QUERY_FAILED(50005, 500, "reading the schema or binlog position of source '%s' failed: %s",
            "check that the source is reachable and that the dump user may read information_schema"),
    LOAD_DUMP_NOT_FOUND(50011, 500, "no finished dump in %s: %s",
            "run the dump unit first (task_mode full or all), or restart the task so that it dumps again"),
    LOAD_DUPLICATE_KEY(50012, 500, "duplicate key loading %s into %s: %s (on_duplicate is 'error')",
            "set on_duplicate to 'replace' or 'ignore', or remove the conflicting rows downstream, then resume"),
    LOAD_CHUNK_FAILED(50013, 500, "loading chunk %s into %s failed: %s",
            "check that the downstream is reachable and the target table matches the source, then resume"),
    LOAD_CREATE_FAILED(50014, 500, "cannot create %s downstream: %s",
            "create it by hand with a compatible definition, or grant CREATE to the target user, then resume"),
    LOAD_CHECKPOINT_FAILED(50015, 500, "the loader checkpoint %s cannot be read or written: %s",
            "grant the target user CREATE, SELECT, INSERT on the meta schema, then resume"),
    LOAD_CHECKPOINT_MISMATCH(50016, 500, "the loader checkpoint %s belongs to another dump (snapshot %s, this dump %s)",
            "the downstream holds part of an older dump: clear the target tables and the checkpoint rows"
                    + " (start the task with remove_meta) and load again"),
    LOAD_CHUNK_CORRUPT(50017, 500, "dump file %s is missing or damaged: %s",
            "restart the task with remove_meta so that the source is dumped again"),
    LOAD_INVALID_CONFIG(50018, 400, "invalid load setting %s: %s",
            "use on_duplicate replace|error|ignore and import_threads >= 1"),

    // 51xxx: the sync unit (owned by the sync unit)
    SYNC_BINLOG_CONNECT_FAILED(51001, 500, "cannot open a binlog stream from source %s: %s",
            "check that the source is running and reachable and that host, port, user and password are right;"
                    + " the sync unit retries from its last checkpoint"),
    SYNC_BINLOG_ACCESS_DENIED(51002, 500, "the source user may not read the binlog of %s: %s",
            "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* to the source user (MariaDB 10.5+: REPLICATION SLAVE,"
                    + " BINLOG MONITOR), then resume the task"),
    SYNC_BINLOG_POSITION_UNAVAILABLE(51003, 500, "source %s cannot stream its binlog from %s: %s",
            "the position or GTID set is not in the source's binlog any more (purged: see SHOW BINARY LOGS and"
                    + " expire_logs_days/binlog_expire_logs_seconds) or is not an event boundary; restart the task"
                    + " with remove_meta so that it dumps again, or give a start position the source still has"),
    SYNC_BINLOG_CONNECTION_LOST(51004, 500, "the binlog stream from source %s broke after %s: %s",
            "usually transient (network, source restart, KILL of the dump thread); the sync unit reconnects from"
                    + " its last checkpoint, and keeps failing only while the source is unreachable"),
    SYNC_BINLOG_DECODE_FAILED(51005, 500, "cannot decode the binlog event of source %s after %s: %s",
            "make sure the source logs binlog_format=ROW with binlog_row_image=FULL; if it does, this is a bug:"
                    + " report it with the source version and the binlog around that position"),
    SYNC_BINLOG_UNSUPPORTED(51006, 500, "the binlog of source %s cannot be replicated exactly: %s",
            "set binlog_format=ROW and binlog_row_image=FULL (and binlog_transaction_compression=OFF on MySQL)"
                    + " on the source, then restart the task from a dump taken after the change"),
    SYNC_APPLY_FAILED(51101, 500, "applying row changes to %s (binlog %s) failed: %s",
            "fix the cause on the downstream (privileges, table definition, space), then resume the task"),
    SYNC_SCHEMA_UNKNOWN(51102, 500, "the structure of upstream table %s at binlog %s is unknown",
            "the table existed before the start position and its structure was not found at the first start:"
                    + " use task_mode 'all', or restart the task with remove_meta and a source_conf position after the table was created"),
    SYNC_SCHEMA_MISMATCH(51103, 500, "a row of %s at binlog %s has %d columns but the tracked structure has %d: %s",
            "the table's structure changed between the start position and the task's first start: restart the task with"
                    + " remove_meta and a source_conf position after that change, or use task_mode 'all'"),
    SYNC_DDL_FAILED(51104, 500, "DDL failed downstream at binlog_pos %s: %s; statement: %s",
            "make the downstream accept it (or run an equivalent statement by hand, so that its effect is there) and"
                    + " resume; or skip or replace this one event: POST /api/v1/tasks/{task-name}/sources/{source-name}/binlog"
                    + " {\"op\": \"skip\"} (or {\"op\": \"replace\", \"sqls\": [...]}), then resume"),
    SYNC_TRACKER_FAILED(51105, 500, "the schema tracker could not follow DDL at binlog %s: %s; statement: %s",
            "none when the error is a lost connection (the target restarted): the worker resumes the subtask by itself;"
                    + " if the statement does not concern migrated tables, skip it with a binlog_filter_rule whose ignore_sql"
                    + " matches it and resume; otherwise report the statement"),
    SYNC_CHECKPOINT_FAILED(51106, 500, "the sync checkpoint %s cannot be read or written: %s",
            "none when the error is a lost connection (the target restarted): the worker resumes the subtask by itself;"
                    + " otherwise grant the target user CREATE, SELECT, INSERT, UPDATE, DELETE on the meta schema, then resume"),
    SYNC_NO_START_POSITION(51107, 500, "incremental replication of source '%s' has no start position: %s",
            "set source_conf[].binlog_name/binlog_pos (or binlog_gtid) in the task, or use task_mode 'all'"),
    SYNC_UPSTREAM_FAILED(51108, 500, "reading the binlog of source '%s' failed: %s",
            "check that the upstream is reachable, that the binlog at the checkpoint still exists (not purged) and that"
                    + " the source user has REPLICATION SLAVE and REPLICATION CLIENT (BINLOG MONITOR on MariaDB); then resume"),
    SYNC_DDL_UNPARSABLE(51109, 500, "cannot read the DDL statement '%s' from the binlog: %s",
            "skip the statement with a binlog_filter_rule whose ignore_sql matches it and apply its effect"
                    + " downstream by hand, then resume; please report the statement so that it can be supported"),
    SYNC_BINLOG_OPERATORS_UNAVAILABLE(51110, 500, "cannot read the binlog operators of task '%s' on source '%s' from etcd: %s",
            "check that the worker reaches the masters (GET /api/v1/cluster/workers shows it online), then resume the task"),
    SYNC_BINLOG_OPERATOR_INVALID(51111, 500, "the binlog operator at binlog_pos %s cannot replace the DDL: %s",
            "send it again (POST /api/v1/tasks/{task-name}/sources/{source-name}/binlog with the same binlog_pos replaces"
                    + " it) with table or database DDL statements, schema-qualified when the original had no current"
                    + " database, then resume"),
    SYNC_START_TIME_PURGED(51112, 500, "source '%s' has no binlog from start_time %s on: its oldest binlog %s begins at %s"
            + " and earlier files were purged",
            "stop the task and start it with a start_time after the oldest binlog's start (SHOW BINARY LOGS; mysqlbinlog"
                    + " shows each file's first event), or migrate the data again with task_mode 'all' (or 'full' +"
                    + " incremental); keep binlogs longer (expire_logs_days / binlog_expire_logs_seconds)"),
    SYNC_START_TIME_TOO_LATE(51113, 500, "start_time %s is too late, no binlog location of source '%s' matches it: the"
            + " source's current time is %s",
            "stop the task and start it again with a start_time at or before the upstream's current time"),
    SYNC_START_TIME_SEARCH_FAILED(51114, 500, "cannot find the binlog position of start_time %s on source '%s': %s",
            "check that the source is reachable and that its user has REPLICATION SLAVE and REPLICATION CLIENT (BINLOG"
                    + " MONITOR on MariaDB), then resume the task"),

    // 52xxx: ownership of a source's data downstream (worker HA, see docs/ha.md)
    WORKER_LEASE_EXPIRED(53001, 500, "worker '%s' cannot prove that its keepalive lease is alive, so subtask %s stops"
            + " writing downstream: %s",
            "nothing to do after a pause of the worker process or a cut to etcd: the worker registers again with a new"
                    + " lease and restarts what is still bound to it; if it repeats, look for long GC pauses or CPU"
                    + " starvation of the worker and for its latency to etcd, or raise dm.worker.keepalive-ttl"),
    WORKER_FENCED(53002, 500, "subtask %s no longer owns its source downstream: the owner token in %s is %d, this run"
            + " holds %d; another worker took the source over, and this run stops without writing",
            "nothing to do when the source is now bound to another worker (GET /api/v1/sources/{source-name}/status);"
                    + " if the etcd cluster was rebuilt from empty (its revisions started again), delete the source's row"
                    + " from that owner table while no worker runs the subtask, then resume the task"),
    WORKER_FENCE_CLAIM_FAILED(53003, 500, "subtask %s cannot take ownership of its source in %s: %s",
            "grant the target user CREATE, SELECT, INSERT, UPDATE on the meta schema, and PROCESS so that it can find the"
                    + " open transactions of a frozen earlier owner (it kills them: allowed for the same user, else grant"
                    + " CONNECTION ADMIN or SUPER); or KILL the connection named in the worker's log by hand; then resume"),
    WORKER_DDL_LOCK_TIMEOUT(53004, 500, "subtask %s cannot run DDL downstream: its DDL lock '%s' was held by connection %s"
            + " for more than %d s",
            "the lock is held by a claim of the source by another worker (this run then stops as fenced) or by a DDL of"
                    + " another worker of this subtask; see that connection in SHOW PROCESSLIST: if it belongs to no running"
                    + " worker of this task (e.g. a session that called GET_LOCK by hand), KILL it; then resume"),
    WORKER_DDL_LOCK_CLAIM_FAILED(53005, 500, "subtask %s cannot take its downstream DDL lock '%s' to claim the source:"
            + " connection %s still holds it after %d s",
            "that connection is a DDL of an earlier owner that the claim could not kill: killing a connection of another"
                    + " downstream user needs CONNECTION ADMIN (MySQL 8, MariaDB 10.5+) or SUPER (the same user needs"
                    + " nothing); grant it, or KILL that connection by hand, then resume"),
    WORKER_DDL_LOCK_FAILED(53006, 500, "subtask %s cannot take or check its downstream DDL lock '%s': %s",
            "usually a lost downstream connection: resume once the downstream is reachable; GET_LOCK needs no privilege,"
                    + " but the target user needs SELECT on the meta schema's owner table"),

    // 54xxx: shard DDL coordination (worker side)
    SHARD_DDL_MULTIPLE_TABLES(54001, 500, "pessimistic shard mode cannot coordinate the DDL at binlog_pos %s: source '%s'"
            + " merges %d tables into %s (%s), and one source can take part in a shard DDL lock with one table only",
            "give each shard table of this source its own task or target table, or run the DDL downstream yourself and"
                    + " skip it on every source: POST /api/v1/tasks/{task-name}/sources/{source-name}/binlog {\"op\": \"skip\"},"
                    + " then resume"),
    SHARD_DDL_CONFLICT(54002, 500, "the shard DDL lock %s cannot take the DDL of source '%s' at binlog_pos %s: %s",
            "make this source's statement the same as the lock's with a binlog operator: POST"
                    + " /api/v1/tasks/{task-name}/sources/{source-name}/binlog {\"op\": \"replace\", \"binlog_pos\": ..., \"sqls\": [...]}"
                    + " (or skip it), then resume the subtask"),
    SHARD_DDL_UNSUPPORTED(54003, 500, "pessimistic shard mode cannot replicate the DDL at binlog_pos %s: %s",
            "run the equivalent change downstream yourself, then skip the event on every source: POST"
                    + " /api/v1/tasks/{task-name}/sources/{source-name}/binlog {\"op\": \"skip\"}, then resume"),

    // 52xxx: the relay unit (local copies of a source's binlog on a worker)
    RELAY_CONNECT_FAILED(52001, 500, "the relay of source '%s' cannot read the binlog of %s: %s",
            "usually transient (network, source restart, KILL of the dump thread): the relay reconnects by itself with"
                    + " backoff from where its files end; if it persists, check that the source is reachable and that its user"
                    + " has REPLICATION SLAVE and REPLICATION CLIENT (BINLOG MONITOR on MariaDB)"),
    RELAY_POSITION_UNAVAILABLE(52002, 500, "the relay of source '%s' cannot start at %s: %s",
            "the binlog file is not on the source any more (purged: see SHOW BINARY LOGS) or the GTID set is not in its"
                    + " binlog; disable the relay, purge its directory, and enable it again with a relay_binlog_name the source"
                    + " still has"),
    RELAY_WRITE_FAILED(52003, 500, "cannot write the relay log of source '%s' in %s: %s",
            "make room on the worker's disk (lower purge.expires or raise purge.remain_space) or fix the directory's"
                    + " permissions; the relay resumes from its last flushed position"),
    RELAY_META_INVALID(52004, 500, "the relay log of source '%s' in %s cannot be resumed: %s",
            "the relay directory was changed by hand or belongs to another upstream; disable the relay, move the"
                    + " directory away and enable the relay again"),
    RELAY_STREAM_INCONSISTENT(52005, 500, "the binlog stream of source '%s' does not fit the relay file %s: %s",
            "the source may have been replaced by another server with the same address, or it skipped events;"
                    + " disable the relay, move its directory away and enable it again"),
    RELAY_NOT_RUNNING(52006, 409, "the relay of source '%s' is not running on worker '%s'",
            "enable the relay first (POST /api/v1/sources/{source}/relay/enable) and wait until its status shows Running"),
    RELAY_PURGE_REFUSED(52007, 409, "cannot purge the relay log of source '%s' before %s: %s",
            "purge only files that no subtask still reads (see each task's syncer_binlog in its status), or wait until"
                    + " the subtasks moved past them"),
    RELAY_PURGE_INVALID(52008, 400, "cannot purge the relay log of source '%s': %s",
            "give relay_binlog_name as a binlog file name such as mysql-bin.000003; files before it are deleted"),
    RELAY_READ_FAILED(52009, 500, "the sync unit cannot read the relay log of source '%s' at %s: %s",
            "usually transient (the relay restarting or a file being replaced): the sync unit reopens its input from its"
                    + " last transaction boundary, from the upstream when the relay does not hold that position; if it"
                    + " persists, check the worker's relay directory (permissions, disk) or disable the relay"),
    RELAY_READ_CORRUPT(52010, 500, "the relay log of source '%s' cannot be read at %s: %s",
            "the relay directory was changed by hand or holds files of another upstream; disable the relay (the sync"
                    + " unit then reads the upstream from its checkpoint), move the directory away, enable the relay again"
                    + " and resume the task"),

    // 90xxx: our own faults
    INTERNAL(90001, 500, "internal error: %s",
            "this is a bug; please report it with the master's log around this time");

    private final int code;
    private final int httpStatus;
    private final String messageTemplate;
    private final String workaround;

    ErrorCode(int code, int httpStatus, String messageTemplate, String workaround) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.messageTemplate = messageTemplate;
        this.workaround = workaround;
    }

    public int code() {
        return code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String workaround() {
        return workaround;
    }

    /** The message with its arguments filled in, followed by the workaround. */
    public String message(Object... args) {
        return String.format(messageTemplate, args) + "; workaround: " + workaround;
    }
}
