package io.dmjava.model.task.yaml;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.source.SourceConfig.Security;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskConfig.BinlogFilterRule;
import io.dmjava.model.task.TaskConfig.FullMigrateConf;
import io.dmjava.model.task.TaskConfig.IncrMigrateConf;
import io.dmjava.model.task.TaskConfig.SourceConf;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.TaskConfig.TargetConfig;
import io.dmjava.model.task.rules.NamePattern;
import io.dmjava.model.task.yaml.TaskFile.Instance;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Task -> DM task file. Per source: one block-allow-list ({@code do-dbs} when every rule selects whole
 * schemas, else {@code do-tables} with {@code tbl-name: "*"} for whole schemas, because DM requires a
 * table to pass both lists when both are given), one route per rule with a target, one filter per rule
 * and binlog_filter_rule it uses (the second and later uses of a rule are named {@code name@2}, ...).
 * Shared dump/load/sync settings go to {@code mydumpers/loaders/syncers} named {@code global}.
 * binlog_filter_rule entries no table rule uses are not written: DM rejects unused global rules.
 */
public final class TaskFileWriter {
    private static final String GLOBAL = "global";

    private final TaskConfig task;
    private final Map<String, TaskFile.Route> routes = new LinkedHashMap<>();
    private final Map<String, TaskFile.Filter> filters = new LinkedHashMap<>();
    private final Map<String, TaskFile.BlockAllowList> blockAllowLists = new LinkedHashMap<>();

    private TaskFileWriter(TaskConfig task) {
        this.task = task;
    }

    public static TaskFile write(TaskConfig task) {
        return new TaskFileWriter(task).write();
    }

    private TaskFile write() {
        List<String> sourceNames = task.sourceNames();
        List<TableMigrateRule> rules = task.tableMigrateRule() == null ? List.of() : task.tableMigrateRule();
        for (int i = 0; i < rules.size(); i++) {
            TableMigrateRule r = rules.get(i);
            if (r == null || r.source() == null || !sourceNames.contains(r.source().sourceName())) {
                throw notConvertible("table_migrate_rule[" + i + "] does not name a source of source_config.source_conf");
            }
        }
        if (sourceNames.isEmpty()) {
            throw notConvertible("it has no source in source_config.source_conf");
        }
        var full = task.sourceConfig() == null ? null : task.sourceConfig().fullMigrateConf();
        var incr = task.sourceConfig() == null ? null : task.sourceConfig().incrMigrateConf();
        Map<String, TaskFile.Mydumper> mydumpers = mydumpers(full);
        Map<String, TaskFile.Loader> loaders = loaders(full, task.onDuplicate());
        Map<String, TaskFile.Syncer> syncers = syncers(incr);
        List<Instance> instances = new ArrayList<>();
        for (SourceConf conf : task.sourceConfig().sourceConf()) {
            if (conf == null || conf.sourceName() == null) {
                throw notConvertible("source_config.source_conf has an entry without source_name");
            }
            instances.add(instance(conf, rules, mydumpers != null, loaders != null, syncers != null));
        }
        return new TaskFile(task.name(), task.taskMode(), blankToNull(task.shardMode()), null, task.metaSchema(),
                task.enhanceOnlineSchemaChange(), null, null, null, null, null, task.ignoreCheckingItems(),
                target(task.targetConfig()), nullIfEmpty(routes), nullIfEmpty(filters), nullIfEmpty(blockAllowLists),
                null, null, null, null, mydumpers, loaders, syncers, instances);
    }

    private Instance instance(SourceConf conf, List<TableMigrateRule> rules, boolean dump, boolean load, boolean sync) {
        String source = conf.sourceName();
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            if (source.equals(rules.get(i).source().sourceName())) {
                mine.add(i);
            }
        }
        if (mine.isEmpty()) {
            throw notConvertible("source '" + source + "' has no table_migrate_rule; in DM an instance without a "
                    + "block-allow-list migrates every table");
        }
        String baName = "ba-" + source;
        blockAllowLists.put(baName, blockAllowList(mine, rules));
        List<String> routeNames = new ArrayList<>();
        List<String> filterNames = new ArrayList<>();
        for (int i : mine) {
            TableMigrateRule r = rules.get(i);
            if (hasTarget(r)) {
                String name = "route-" + source + "-" + (routeNames.size() + 1);
                routes.put(name, route(i, r));
                routeNames.add(name);
            }
            for (String filterName : r.binlogFilterRule() == null ? List.<String>of() : r.binlogFilterRule()) {
                filterNames.add(filter(i, r, filterName));
            }
        }
        TaskFile.Meta meta = conf.binlogName() == null && conf.binlogPos() == null && conf.binlogGtid() == null
                ? null : new TaskFile.Meta(conf.binlogName(), conf.binlogPos(), conf.binlogGtid());
        return new Instance(source, meta, routeNames, filterNames, baName, null, null, null, null,
                dump ? GLOBAL : null, null, load ? GLOBAL : null, null, sync ? GLOBAL : null, null);
    }

    private static TaskFile.BlockAllowList blockAllowList(List<Integer> mine, List<TableMigrateRule> rules) {
        boolean wholeSchemas = mine.stream().allMatch(i -> isAllTables(rules.get(i).source().table()));
        if (wholeSchemas) {
            return new TaskFile.BlockAllowList(mine.stream().map(i -> rules.get(i).source().schema()).distinct().toList(),
                    null, null, null);
        }
        List<TaskFile.TableRef> tables = mine.stream()
                .map(i -> rules.get(i).source())
                .map(s -> new TaskFile.TableRef(s.schema(), isAllTables(s.table()) ? "*" : s.table()))
                .distinct().toList();
        return new TaskFile.BlockAllowList(null, tables, null, null);
    }

    private TaskFile.Route route(int i, TableMigrateRule r) {
        requireWildcardsOnly(i, r, "route");
        String schema = r.source().schema();
        String targetSchema = blankToNull(r.target().schema());
        if (targetSchema == null) {
            if (NamePattern.looksLikePattern(schema)) {
                throw notConvertible("table_migrate_rule[" + i + "] keeps the schema name of '" + schema
                        + "' but DM route rules need a target-schema; give target.schema");
            }
            targetSchema = schema;
        }
        return new TaskFile.Route(schema, tableOrNull(r.source().table()), targetSchema,
                blankToNull(r.target().table()), null, null, null);
    }

    private String filter(int i, TableMigrateRule r, String filterName) {
        BinlogFilterRule content = task.binlogFilterRule() == null ? null : task.binlogFilterRule().get(filterName);
        if (content == null) {
            throw notConvertible("table_migrate_rule[" + i + "] uses binlog_filter_rule '" + filterName + "', which is not defined");
        }
        requireWildcardsOnly(i, r, "filter");
        String name = filterName;
        for (int n = 2; filters.containsKey(name); n++) {
            name = filterName + "@" + n;
        }
        filters.put(name, new TaskFile.Filter(r.source().schema(), tableOrNull(r.source().table()),
                content.ignoreEvent(), content.ignoreSql(), "Ignore"));
        return name;
    }

    /** DM's route and filter rules match with its wildcard selector, which has no regex form. */
    private void requireWildcardsOnly(int i, TableMigrateRule r, String what) {
        if (isRegex(r.source().schema()) || isRegex(r.source().table())) {
            throw notConvertible("table_migrate_rule[" + i + "] uses a '~' regex, which DM " + what
                    + " rules do not accept; use wildcards");
        }
    }

    private static Map<String, TaskFile.Mydumper> mydumpers(FullMigrateConf f) {
        if (f == null || (f.exportThreads() == null && f.consistency() == null)) {
            return null;
        }
        return Map.of(GLOBAL, new TaskFile.Mydumper(f.exportThreads(),
                f.consistency() == null ? null : "--consistency " + f.consistency(), null));
    }

    private static Map<String, TaskFile.Loader> loaders(FullMigrateConf f, String onDuplicate) {
        Integer pool = f == null ? null : f.importThreads();
        String dir = f == null ? null : f.dataDir();
        if (pool == null && dir == null && onDuplicate == null) {
            return null;
        }
        return Map.of(GLOBAL, new TaskFile.Loader(pool, dir, null, null, onDuplicate));
    }

    private static Map<String, TaskFile.Syncer> syncers(IncrMigrateConf c) {
        if (c == null || (c.replThreads() == null && c.replBatch() == null && c.safeMode() == null)) {
            return null;
        }
        return Map.of(GLOBAL, new TaskFile.Syncer(c.replThreads(), c.replBatch(), c.safeMode()));
    }

    private static TaskFile.Target target(TargetConfig t) {
        if (t == null) {
            return null;
        }
        Map<String, Object> session = t.session() == null ? null : new LinkedHashMap<>(t.session());
        Security s = t.security();
        TaskFile.Security security = s == null ? null : new TaskFile.Security(null, null, null, s.certAllowedCn(),
                base64(s.sslCaContent()), base64(s.sslCertContent()), base64(s.sslKeyContent()), null, null, null);
        return new TaskFile.Target(t.host(), t.port(), t.user(), t.password(), session, security);
    }

    private static String base64(String content) {
        return content == null ? null : Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean hasTarget(TableMigrateRule r) {
        return r.target() != null && (blankToNull(r.target().schema()) != null || blankToNull(r.target().table()) != null);
    }

    private static boolean isAllTables(String table) {
        return table == null || table.isEmpty() || table.equals("*");
    }

    private static String tableOrNull(String table) {
        return isAllTables(table) ? null : table;
    }

    private static boolean isRegex(String pattern) {
        return pattern != null && pattern.startsWith("~");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static <V> Map<String, V> nullIfEmpty(Map<String, V> map) {
        return map.isEmpty() ? null : map;
    }

    private DmException notConvertible(String why) {
        return new DmException(ErrorCode.TASK_NOT_CONVERTIBLE, task.name(), why);
    }
}
