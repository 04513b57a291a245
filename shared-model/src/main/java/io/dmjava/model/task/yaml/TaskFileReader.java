package io.dmjava.model.task.yaml;

import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.source.SourceConfig.Security;
import io.dmjava.model.task.TaskConfig;
import io.dmjava.model.task.TaskConfig.BinlogFilterRule;
import io.dmjava.model.task.TaskConfig.SourceConf;
import io.dmjava.model.task.TaskConfig.TableMigrateRule;
import io.dmjava.model.task.TaskConfig.TargetConfig;
import io.dmjava.model.task.TaskConfig.TaskSourceConfig;
import io.dmjava.model.task.rules.TablePattern;
import io.dmjava.model.task.yaml.TaskFile.Instance;
import io.dmjava.model.task.yaml.TaskFile.Target;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DM task file -> task. Block-allow-list, routes and filters become {@code table_migrate_rule} entries
 * ({@link InstanceRules}); every construct that a task cannot express is rejected with
 * {@link ErrorCode#TASK_FILE_UNSUPPORTED} naming it, never dropped. Accepted without effect: DM's
 * deprecated/internal keys listed on {@link TaskFile}, {@code case-sensitive} (our matching is always
 * case-sensitive), {@code ignore-dbs}/{@code ignore-tables} where DM itself ignores them (next to
 * {@code do-dbs}/{@code do-tables}) or where they only name system schemas, which are never migrated.
 */
public final class TaskFileReader {
    private final TaskFile file;
    private final Map<String, TaskFile.BlockAllowList> blockAllowLists = new LinkedHashMap<>();
    private final Map<String, BinlogFilterRule> usedFilters = new LinkedHashMap<>();

    private TaskFileReader(TaskFile file) {
        this.file = file;
    }

    public static TaskConfig read(TaskFile file) {
        return new TaskFileReader(file).read();
    }

    private TaskConfig read() {
        rejectUnsupportedGlobals();
        if (file.mysqlInstances() == null || file.mysqlInstances().isEmpty()) {
            throw invalid("mysql-instances", "at least one instance (source) is required");
        }
        mergeBlockAllowLists();
        Tuning tuning = new Tuning(file);
        List<TableMigrateRule> rules = new ArrayList<>();
        List<SourceConf> sources = new ArrayList<>();
        for (int i = 0; i < file.mysqlInstances().size(); i++) {
            String where = "mysql-instances[" + i + "]";
            Instance inst = file.mysqlInstances().get(i);
            if (inst == null || inst.sourceId() == null || inst.sourceId().isBlank()) {
                throw invalid(where + ".source-id", "is required");
            }
            rejectUnsupported(inst, where);
            RuleSets sets = new RuleSets(file, where);
            String ba = inst.blockAllowList() != null ? inst.blockAllowList() : inst.blackWhiteList();
            List<TablePattern> selection = sets.selection(ba, ba == null ? null : blockAllowLists.get(ba));
            List<InstanceRules.Route> routes = sets.routes(inst.routeRules());
            List<InstanceRules.Filter> filters = sets.filters(inst.filterRules(), usedFilters);
            rules.addAll(InstanceRules.build(inst.sourceId(), where, selection, routes, filters));
            TaskFile.Meta m = inst.meta();
            sources.add(m == null ? new SourceConf(inst.sourceId(), null, null, null)
                    : new SourceConf(inst.sourceId(), blankToNull(m.binlogName()), m.binlogPos(), blankToNull(m.binlogGtid())));
            tuning.add(inst, where);
        }
        String onDuplicate = tuning.onDuplicate() != null ? tuning.onDuplicate() : blankToNull(file.onDuplicate());
        return new TaskConfig(file.name(), file.taskMode(), shardMode(), blankToNull(file.metaSchema()), onlineDdl(),
                onDuplicate, target(file.targetDatabase()), usedFilters.isEmpty() ? null : usedFilters, rules,
                new TaskSourceConfig(tuning.full(), tuning.incr(), sources),
                file.ignoreCheckingItems() == null || file.ignoreCheckingItems().isEmpty() ? null : file.ignoreCheckingItems());
    }

    private void rejectUnsupportedGlobals() {
        if (file.timezone() != null && !file.timezone().isBlank()) {
            throw unsupported("timezone", "the downstream's own time zone is always used; remove the key");
        }
        String collation = file.collationCompatible();
        if (collation != null && !collation.isBlank() && !collation.equals("loose")) {
            throw unsupported("collation_compatible '" + collation + "'", "only the default 'loose' behaviour exists; remove the key");
        }
        if (file.expressionFilter() != null && !file.expressionFilter().isEmpty()) {
            throw unsupported("expression-filter", "row filtering by SQL expression is not available; remove it");
        }
        if (file.columnMappings() != null && !file.columnMappings().isEmpty()) {
            throw unsupported("column-mappings", "column mapping is not available (DM deprecated it); remove it");
        }
    }

    private void rejectUnsupported(Instance inst, String where) {
        if (inst.columnMappingRules() != null && !inst.columnMappingRules().isEmpty()) {
            throw unsupported(where + ".column-mapping-rules", "column mapping is not available; remove it");
        }
        if (inst.expressionFilters() != null && !inst.expressionFilters().isEmpty()) {
            throw unsupported(where + ".expression-filters", "row filtering by SQL expression is not available; remove it");
        }
        String validator = inst.validatorConfigName();
        if (validator != null && !validator.isBlank()) {
            TaskFile.Validator v = file.validators() == null ? null : file.validators().get(validator);
            if (v == null) {
                throw invalid(where + ".validator-config-name", "'" + validator + "' is not defined in validators");
            }
            if (v.mode() != null && !v.mode().isBlank() && !v.mode().equals("none")) {
                throw unsupported("validators." + validator + ".mode '" + v.mode() + "'",
                        "continuous validation is not available; use mode none or remove the validator");
            }
        }
    }

    /** {@code black-white-list} is the pre-v2.0 name of {@code block-allow-list}; both are read. */
    private void mergeBlockAllowLists() {
        if (file.blockAllowList() != null) {
            blockAllowLists.putAll(file.blockAllowList());
        }
        if (file.blackWhiteList() != null) {
            file.blackWhiteList().forEach((name, rule) -> {
                if (blockAllowLists.containsKey(name) && !blockAllowLists.get(name).equals(rule)) {
                    throw invalid("black-white-list." + name, "is also defined, differently, in block-allow-list");
                }
                blockAllowLists.put(name, rule);
            });
        }
    }

    /** {@code is-sharding: true} is the pre-v2.0 spelling of pessimistic shard mode. */
    private String shardMode() {
        if (file.shardMode() != null && !file.shardMode().isEmpty()) {
            return file.shardMode();
        }
        return Boolean.TRUE.equals(file.isSharding()) ? "pessimistic" : null;
    }

    /** {@code online-ddl-scheme} (gh-ost/pt) is the deprecated spelling of {@code online-ddl: true}. */
    private Boolean onlineDdl() {
        if (file.onlineDdl() != null) {
            return file.onlineDdl();
        }
        return file.onlineDdlScheme() != null && !file.onlineDdlScheme().isBlank() ? Boolean.TRUE : null;
    }

    private static TargetConfig target(Target t) {
        if (t == null) {
            return null;
        }
        Map<String, String> session = null;
        if (t.session() != null && !t.session().isEmpty()) {
            session = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : t.session().entrySet()) {
                session.put(e.getKey(), e.getValue() == null ? "" : String.valueOf(e.getValue()));
            }
        }
        return new TargetConfig(t.host(), t.port(), t.user(), t.password(), security(t.security()), session);
    }

    private static Security security(TaskFile.Security s) {
        if (s == null) {
            return null;
        }
        String f = "target-database.security.";
        String inline = "put the PEM content, base64-encoded, in ssl-ca-base64 / ssl-cert-base64 / ssl-key-base64";
        if (!isBlank(s.sslCa()) || !isBlank(s.sslCert()) || !isBlank(s.sslKey())) {
            throw unsupported(f + "ssl-ca/ssl-cert/ssl-key (file paths)", "the files are not available to the cluster; " + inline);
        }
        if (s.sslCaBytes() != null || s.sslCertBytes() != null || s.sslKeyBytes() != null) {
            throw unsupported(f + "ssl-*-bytes", inline);
        }
        return new Security(decode(f + "ssl-ca-base64", s.sslCaBase64()), decode(f + "ssl-cert-base64", s.sslCertBase64()),
                decode(f + "ssl-key-base64", s.sslKeyBase64()), s.certAllowedCn());
    }

    private static String decode(String field, String base64) {
        if (isBlank(base64)) {
            return null;
        }
        try {
            return new String(Base64.getMimeDecoder().decode(base64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid(field, "is not valid base64: " + e.getMessage());
        }
    }

    static DmException invalid(String where, String what) {
        return new DmException(ErrorCode.TASK_FILE_INVALID, where, what);
    }

    static DmException unsupported(String construct, String workaround) {
        return new DmException(ErrorCode.TASK_FILE_UNSUPPORTED, construct, workaround);
    }

    static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    static String blankToNull(String s) {
        return isBlank(s) ? null : s;
    }
}
