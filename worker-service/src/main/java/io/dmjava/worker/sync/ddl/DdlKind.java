package io.dmjava.worker.sync.ddl;

/** What a statement from a binlog QUERY event is, as far as replication cares. */
public enum DdlKind {
    CREATE_DATABASE("create database"),
    DROP_DATABASE("drop database"),
    /** DM's filter knows this name too, though its documentation does not list it. */
    ALTER_DATABASE("alter database"),
    CREATE_TABLE("create table"),
    CREATE_TABLE_LIKE("create table"),
    /** {@code CREATE TABLE ... SELECT}: not replicable as a statement (row-based servers log it as a plain CREATE TABLE plus rows). */
    CREATE_TABLE_SELECT("create table"),
    DROP_TABLE("drop table"),
    ALTER_TABLE("alter table"),
    RENAME_TABLE("rename table"),
    TRUNCATE_TABLE("truncate table"),
    CREATE_INDEX("create index"),
    DROP_INDEX("drop index"),
    /**
     * DDL that is not replicated: views, triggers, routines, events, accounts, grants, temporary
     * tables, sequences, maintenance statements (ANALYZE, OPTIMIZE, FLUSH, ...).
     */
    OTHER_DDL(null),
    /** Not DDL: transaction control, SET, XA, DML written as statements, ... */
    NOT_DDL(null);

    private final String eventType;

    DdlKind(String eventType) {
        this.eventType = eventType;
    }

    /** DM's binlog event filter name of this kind ({@code "create table"}, ...), or null when there is none. */
    public String eventType() {
        return eventType;
    }

    public boolean isDatabaseDdl() {
        return this == CREATE_DATABASE || this == DROP_DATABASE || this == ALTER_DATABASE;
    }

    /** Whether the statement is DDL of any sort (replicated or not). */
    public boolean isDdl() {
        return this != NOT_DDL;
    }

    /** Whether the sync unit applies statements of this kind downstream (after routing). */
    public boolean isReplicated() {
        return this != NOT_DDL && this != OTHER_DDL && this != CREATE_TABLE_SELECT;
    }
}
