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

    // 40xxx: tasks, table rules, task files (owned by the task model)

    // 50xxx: dump and load units (owned by the dump/load units)

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
