package io.dmjava.model.task.rules;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The event names a binlog filter rule may list ({@code ignore_event}, DM's {@code events}). These are
 * the names of DM's binlog event filter (tiflow {@code pkg/binlog-filter}): the documented ones plus the
 * partition, view, schema-alias and "incompatible DDL" names its parser also accepts. DM compares them
 * case-insensitively (older versions listed "All DML", "ALL DML", ...), so we do too.
 */
public final class BinlogEventTypes {
    /** The names DM documents, in the order its documentation lists them. */
    public static final List<String> DOCUMENTED = List.of(
            "all", "all dml", "all ddl", "none", "none ddl", "none dml",
            "insert", "update", "delete",
            "create database", "drop database", "create table", "create index", "drop table",
            "truncate table", "rename table", "drop index", "alter table");

    private static final List<String> ALSO_ACCEPTED = List.of(
            "alter database", "create schema", "drop schema", "alter schema", "create view", "drop view",
            "add table partition", "drop table partition", "truncate table partition",
            "incompatible ddl changes", "value range decrease", "precision decrease", "modify column",
            "rename column", "rename index", "drop column", "drop primary key", "drop unique key",
            "modify default value", "modify constraint", "modify columns order", "modify charset",
            "modify collation", "remove auto increment", "modify storage engine",
            "reorganize table partition", "rebuild table partition", "coalesce table partition",
            "split table partition", "exchange table partition", "modify schema charset and collate",
            "modify table charset and collate", "modify table comment", "recover table",
            "alter table partitioning", "remove table partitioning", "add column", "set default value",
            "rebase auto id", "add primary key", "alter index visibility", "alter ttl info",
            "alter ttl remove", "multi schema change");

    private static final Set<String> ALL = Stream.concat(DOCUMENTED.stream(), ALSO_ACCEPTED.stream())
            .collect(Collectors.toUnmodifiableSet());

    private BinlogEventTypes() {
    }

    public static boolean isKnown(String event) {
        return event != null && ALL.contains(event.toLowerCase(Locale.ROOT));
    }
}
