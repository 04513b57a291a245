package io.dmjava.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.api.model.ClusterInfo;
import io.dmjava.api.model.ClusterMaster;
import io.dmjava.api.model.ClusterWorker;
import io.dmjava.api.model.ConverterTaskRequest;
import io.dmjava.api.model.CreateSourceRequest;
import io.dmjava.api.model.CreateTaskRequest;
import io.dmjava.api.model.DisableRelayRequest;
import io.dmjava.api.model.EnableRelayRequest;
import io.dmjava.api.model.PurgeRelayRequest;
import io.dmjava.api.model.PurgeRelayResult;
import io.dmjava.api.model.RelayStatus;
import io.dmjava.api.model.ErrorWithMessage;
import io.dmjava.api.model.LeaderOperationRequest;
import io.dmjava.api.model.LeaderOperationResponse;
import io.dmjava.api.model.ListResponse;
import io.dmjava.api.model.SourceNameListRequest;
import io.dmjava.api.model.SourceStatus;
import io.dmjava.api.model.SourceView;
import io.dmjava.api.model.StartTaskRequest;
import io.dmjava.api.model.StartTaskResponse;
import io.dmjava.api.model.SubTaskStatus;
import io.dmjava.api.model.SetTableStructureRequest;
import io.dmjava.api.model.TableStructure;
import io.dmjava.api.model.TaskMigrateTarget;
import io.dmjava.model.task.BinlogOperator;
import io.dmjava.api.model.TaskView;
import io.dmjava.api.model.UpdateSourceRequest;
import io.dmjava.api.model.WorkerNameRequest;
import io.dmjava.model.source.SourceConfig;
import io.dmjava.model.task.TaskConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each DTO serializes to exactly the properties (and JSON types) its schema in the document lists.
 * The examples are fully populated (every field non-null, at every depth): the DTOs omit null fields,
 * so an exact property-set check is only meaningful on complete instances.
 */
class DtoSchemaTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final ApiContract CONTRACT = ApiContract.load();
    private static final JsonNode DOC = CONTRACT.document();
    private static final String SCHEMAS = "#/components/schemas/";

    // Fully populated examples, shared by the pairs below.
    static final SourceConfig.Security SECURITY =
            new SourceConfig.Security("-----BEGIN CERTIFICATE-----ca", "-----BEGIN CERTIFICATE-----cert",
                    "-----BEGIN PRIVATE KEY-----key", List.of("dm-worker"));
    static final SourceConfig SOURCE = new SourceConfig("mysql-replica-01", "127.0.0.1", 3306, "root", "secret",
            true, true, "mysql", SECURITY, new SourceConfig.Purge(3600L, 24L, 15L),
            new SourceConfig.RelayConfig(false, "mysql-bin.000001", "3ccc475b-2343-11e7-be21-6c0b84d59f30:1-14",
                    "relay_log"));
    static final RelayStatus RELAY_STATUS = new RelayStatus("(mysql-bin.000002, 1979)", "0-1-42", "/data/relay/mysql-replica-01",
            "(mysql-bin.000002, 1200)", "0-1-40", false, "Running", "reconnecting");
    static final SourceStatus SOURCE_STATUS = new SourceStatus("mysql-replica-01", "worker1", RELAY_STATUS,
            "relay log is behind");
    static final SourceView SOURCE_VIEW = SourceView.of(SOURCE, List.of("task1"), List.of(SOURCE_STATUS));

    static final TaskConfig TASK = new TaskConfig("task1", "all", "pessimistic", "dm_meta", true, "replace",
            new TaskConfig.TargetConfig("127.0.0.1", 4000, "root", "secret", SECURITY, Map.of("time_zone", "+00:00")),
            Map.of("no-drop", new TaskConfig.BinlogFilterRule(List.of("drop table"), List.of("^DROP\\s+TABLE"))),
            List.of(new TaskConfig.TableMigrateRule(new TaskConfig.RuleSource("mysql-replica-01", "shard_*", "t_?"),
                    new TaskConfig.RuleTarget("merged", "t"), List.of("no-drop"))),
            new TaskConfig.TaskSourceConfig(new TaskConfig.FullMigrateConf(4, 16, "./dumped_data", "auto"),
                    new TaskConfig.IncrMigrateConf(16, 100, false),
                    List.of(new TaskConfig.SourceConf("mysql-replica-01", "mysql-bin.000001", 4L,
                            "3ccc475b-2343-11e7-be21-6c0b84d59f30:1-14"))),
            List.of("version"));
    static final SubTaskStatus SUBTASK_STATUS = new SubTaskStatus("task1", "mysql-replica-01", "worker1", "Paused",
            "load", "task1-`merged`.`t`",
            ordered("total_tables", 3L, "completed_tables", 3.0, "finished_bytes", 4096.0, "finished_rows", 12.0,
                    "estimate_total_rows", 12.0, "bps", 1024L),
            ordered("finished_bytes", 2048L, "total_bytes", 4096L, "progress", "50.00 %",
                    "meta_binlog", "(mysql-bin.000001, 4)", "meta_binlog_gtid", "", "bps", 512L),
            ordered("total_events", 0L, "synced", false),
            "[code=50001] load failed; workaround: ...");
    static final TaskView TASK_VIEW = TaskView.of(TASK, List.of(SUBTASK_STATUS));
    static final BinlogOperator BINLOG_OPERATOR = new BinlogOperator("replace", "mysql-bin.000003:4567",
            List.of("ALTER TABLE t ADD INDEX i (a)"));
    static final TaskMigrateTarget MIGRATE_TARGET = new TaskMigrateTarget("shard_1", "t_1", "merged", "t");

    static Stream<Arguments> dtos() {
        ClusterMaster master = new ClusterMaster("master1", true, true, "127.0.0.1:8261");
        ClusterWorker worker = new ClusterWorker("worker1", "127.0.0.1:8262", "bound", "mysql-replica-01");
        ConverterTaskRequest converted = new ConverterTaskRequest(TASK, "name: task1\ntask-mode: all\n");
        return Stream.of(
                Arguments.of("ErrorWithMessage", new ErrorWithMessage(20001, "master 'x' does not exist")),
                Arguments.of("ClusterInfo", new ClusterInfo(7_000_000_000L)),
                Arguments.of("ClusterMaster", master),
                Arguments.of("ClusterWorker", worker),
                Arguments.of("GetClusterMasterListResponse", ListResponse.of(List.of(master))),
                Arguments.of("GetClusterWorkerListResponse", ListResponse.of(List.of(worker))),
                Arguments.of("LeaderOperationRequest", new LeaderOperationRequest("cancel-evict", "master1")),
                Arguments.of("LeaderOperationResponse",
                        new LeaderOperationResponse("evict", "master2", List.of("master1"))),
                // sources
                Arguments.of("Source", SOURCE),
                Arguments.of("SourceView", SOURCE_VIEW),
                Arguments.of("SourceStatus", SOURCE_STATUS),
                Arguments.of("CreateSourceRequest", new CreateSourceRequest(SOURCE, "worker1")),
                Arguments.of("UpdateSourceRequest", new UpdateSourceRequest(SOURCE)),
                Arguments.of("WorkerNameRequest", new WorkerNameRequest("worker2")),
                Arguments.of("GetSourceListResponse", ListResponse.of(List.of(SOURCE_VIEW))),
                Arguments.of("GetSourceStatusResponse", ListResponse.of(List.of(SOURCE_STATUS))),
                Arguments.of("SchemaNameList", List.of("shard_1", "shard_2")),
                Arguments.of("RelayStatus", RELAY_STATUS),
                Arguments.of("EnableRelayRequest", new EnableRelayRequest(List.of("worker2"), "mysql-bin.000002", "0-1-40", "relay_log")),
                Arguments.of("DisableRelayRequest", new DisableRelayRequest(List.of("worker2"))),
                Arguments.of("PurgeRelayRequest", new PurgeRelayRequest("mysql-bin.000002", "sub")),
                Arguments.of("PurgeRelayResult", new PurgeRelayResult("worker1", List.of("mysql-bin.000001"), List.of("mysql-bin.000002"))),
                Arguments.of("TableNameList", List.of("t_1", "t_2")),
                // tasks
                Arguments.of("Task", TASK),
                Arguments.of("TaskView", TASK_VIEW),
                Arguments.of("SubTaskStatus", SUBTASK_STATUS),
                Arguments.of("CreateTaskRequest", new CreateTaskRequest(TASK)),
                Arguments.of("StartTaskResponse", new StartTaskResponse(List.of("s1 table_schema: table db.t has no primary or unique key"))),
                Arguments.of("StartTaskRequest",
                        new StartTaskRequest(true, "2024-01-02 03:04:05", "60s", List.of("mysql-replica-01"))),
                Arguments.of("SourceNameListRequest", new SourceNameListRequest(List.of("mysql-replica-01"))),
                Arguments.of("GetTaskListResponse", ListResponse.of(List.of(TASK_VIEW))),
                Arguments.of("GetTaskStatusResponse", ListResponse.of(List.of(SUBTASK_STATUS))),
                Arguments.of("TaskMigrateTarget", MIGRATE_TARGET),
                Arguments.of("BinlogOperator", BINLOG_OPERATOR),
                Arguments.of("GetBinlogOperatorsResponse", ListResponse.of(List.of(BINLOG_OPERATOR))),
                Arguments.of("TaskTableStruct", new TableStructure("shard_1", "t_1", "CREATE TABLE `t_1` (`id` int)")),
                Arguments.of("OperateTaskTableStructureRequest", new SetTableStructureRequest("CREATE TABLE t (id INT)", true, false)),
                Arguments.of("GetTaskMigrateTargetsResponse", ListResponse.of(List.of(MIGRATE_TARGET))),
                Arguments.of("ConverterTaskRequest", converted),
                // no ConverterTaskResponse record yet: the answer has the request's shape with both fields set
                Arguments.of("ConverterTaskResponse", converted));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtos")
    void serializesToItsSchema(String schemaName, Object dto) {
        JsonNode json = MAPPER.valueToTree(dto);
        assertConforms(json, DOC.at("/components/schemas/" + schemaName), schemaName, new HashSet<>());
        JsonNode flat = flatten(CONTRACT.schema(schemaName), new HashSet<>()).asNode();
        if (json.isObject()) {
            // every documented property is there, and every required one
            assertThat(json.propertyNames()).containsAll(propertyNames(flat));
            assertThat(json.propertyNames()).containsAll(stringsOf(flat.path("required")));
        }
    }

    /**
     * Every schema of the document is checked against some example, directly or nested in one (e.g.
     * {@code Security} through {@code Source.security}, {@code TaskBinLogFilterRule} through the values
     * of {@code Task.binlog_filter_rule}), and every pair names a schema of the document.
     */
    @Test
    void everySchemaIsCheckedAgainstADtoExample() {
        Set<String> reached = new TreeSet<>();
        dtos().forEach(a -> {
            String name = (String) a.get()[0];
            assertThat(DOC.path("components").path("schemas").has(name)).as(name).isTrue();
            reached.add(name);
            assertConforms(MAPPER.valueToTree(a.get()[1]), DOC.at("/components/schemas/" + name), name, reached);
        });
        assertThat(reached).containsExactlyInAnyOrderElementsOf(DOC.path("components").path("schemas").propertyNames());
    }

    @Test
    void everyRequiredPropertyIsDeclared() {
        for (String name : DOC.path("components").path("schemas").propertyNames()) {
            JsonNode flat = flatten(DOC.path("components").path("schemas").get(name), new HashSet<>()).asNode();
            assertThat(propertyNames(flat)).as(name).containsAll(stringsOf(flat.path("required")));
        }
    }

    @Test
    void answersMaskSecretsAsTheDocumentSays() {
        JsonNode source = MAPPER.valueToTree(SOURCE_VIEW);
        assertThat(source.path("password").asString()).isEqualTo("******");
        assertThat(source.path("security").path("ssl_key_content").asString()).isEqualTo("******");
        assertThat(source.path("security").path("ssl_ca_content").asString()).isEqualTo(SECURITY.sslCaContent());
        JsonNode task = MAPPER.valueToTree(TASK_VIEW);
        assertThat(task.path("target_config").path("password").asString()).isEqualTo("******");
    }

    @Test
    void optionalFieldsAreOmittedNotNull() {
        JsonNode status = MAPPER.valueToTree(new SourceStatus("s", "", null, null));
        assertThat(Set.copyOf(status.propertyNames())).containsExactlyInAnyOrder("source_name", "worker_name");
        JsonNode view = MAPPER.valueToTree(TaskView.of(TASK, null));
        assertThat(view.has("status_list")).isFalse();
        JsonNode converter = MAPPER.valueToTree(new ConverterTaskRequest(null, "name: t\n"));
        assertThat(Set.copyOf(converter.propertyNames())).containsExactly("task_config_file");
    }

    @Test
    void requestsReadWithOptionalFieldsOmitted() {
        assertThat(MAPPER.readValue("{\"source\":{\"source_name\":\"s\",\"host\":\"h\",\"user\":\"u\"}}",
                CreateSourceRequest.class).workerName()).isNull();
        assertThat(MAPPER.readValue("{}", StartTaskRequest.class)).isEqualTo(new StartTaskRequest(null, null, null, null));
        assertThat(MAPPER.readValue("{\"source_name_list\":[\"a\"]}", SourceNameListRequest.class).sourceNameList())
                .containsExactly("a");
        assertThat(MAPPER.readValue("{\"worker_name\":\"w\"}", WorkerNameRequest.class).workerName()).isEqualTo("w");
    }

    @Test
    void leaderOperationRequestReadsWithoutMasterName() {
        LeaderOperationRequest req = MAPPER.readValue("{\"op\":\"evict\"}", LeaderOperationRequest.class);
        assertThat(req).isEqualTo(new LeaderOperationRequest("evict", null));
        assertThat(MAPPER.readValue("{\"op\":\"cancel-evict\",\"master_name\":\"m1\"}", LeaderOperationRequest.class)
                .masterName()).isEqualTo("m1");
    }

    @Test
    void listResponseCountsItsData() {
        assertThat(ListResponse.of(List.of("a", "b")).total()).isEqualTo(2);
    }

    /**
     * Checks {@code value} against {@code schema}, following $refs (whose schema names go into
     * {@code reached}) and merging allOf: JSON types, enums, nullability, and property sets — exactly
     * the declared ones, or at least the declared ones when {@code additionalProperties} allows more
     * (extra values are then checked against {@code additionalProperties} when it is a schema).
     */
    private static void assertConforms(JsonNode value, JsonNode schema, String where, Set<String> reached) {
        Flat flat = flatten(schema, reached);
        JsonNode s = flat.asNode();
        if (value == null || value.isNull()) {
            assertThat(s.path("nullable").asBoolean(false)).as(where + " is null but not nullable").isTrue();
            return;
        }
        String type = s.path("type").asString("");
        switch (type) {
            case "object" -> {
                assertThat(value.isObject()).as(where + " is an object").isTrue();
                JsonNode properties = s.path("properties");
                JsonNode additional = s.path("additionalProperties");
                Set<String> declared = Set.copyOf(propertyNames(s));
                if (additional.isMissingNode() || (additional.isBoolean() && !additional.asBoolean())) {
                    assertThat(Set.copyOf(value.propertyNames())).as(where + " properties").isEqualTo(declared);
                } else {
                    assertThat(value.propertyNames()).as(where + " properties").containsAll(declared);
                }
                for (String name : value.propertyNames()) {
                    if (declared.contains(name)) {
                        assertConforms(value.get(name), properties.get(name), where + "." + name, reached);
                    } else if (additional.isObject()) {
                        assertConforms(value.get(name), additional, where + "[" + name + "]", reached);
                    }
                }
            }
            case "array" -> {
                assertThat(value.isArray()).as(where + " is an array").isTrue();
                assertThat(value.isEmpty()).as(where + " example is not empty").isFalse();
                for (JsonNode item : value.values()) {
                    assertConforms(item, s.path("items"), where + "[]", reached);
                }
            }
            case "integer" -> assertThat(value.isIntegralNumber()).as(where + " is an integer").isTrue();
            case "number" -> assertThat(value.isNumber()).as(where + " is a number").isTrue();
            case "boolean" -> assertThat(value.isBoolean()).as(where + " is a boolean").isTrue();
            case "string" -> assertThat(value.isString()).as(where + " is a string").isTrue();
            default -> throw new AssertionError(where + ": unexpected schema type '" + type + "'");
        }
        if (s.has("enum")) {
            assertThat(s.get("enum").values()).as(where + " enum").contains(value);
        }
    }

    /** A schema with its $ref followed and its allOf parts merged into one object schema. */
    private static Flat flatten(JsonNode schema, Set<String> reached) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asString();
            assertThat(ref).startsWith(SCHEMAS);
            reached.add(ref.substring(SCHEMAS.length()));
            schema = DOC.at(ref.substring(1));
        }
        if (!schema.has("allOf")) {
            return new Flat(schema, null, null);
        }
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (JsonNode part : schema.get("allOf").values()) {
            JsonNode p = flatten(part, reached).asNode();
            assertThat(p.path("type").asString()).as("allOf part").isEqualTo("object");
            p.path("properties").properties().forEach(e -> properties.put(e.getKey(), e.getValue()));
            required.addAll(stringsOf(p.path("required")));
        }
        return new Flat(null, properties, required);
    }

    private record Flat(JsonNode node, Map<String, JsonNode> properties, List<String> required) {
        JsonNode asNode() {
            if (node != null) {
                return node;
            }
            var out = MAPPER.createObjectNode();
            out.put("type", "object");
            var props = out.putObject("properties");
            properties.forEach(props::set);
            var req = out.putArray("required");
            required.forEach(req::add);
            return out;
        }
    }

    private static List<String> propertyNames(JsonNode schema) {
        return List.copyOf(schema.path("properties").propertyNames());
    }

    private static List<String> stringsOf(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.values().forEach(v -> out.add(v.asString()));
        return out;
    }

    /** A map keeping the given order (Map.of has none), from key/value pairs. */
    private static Map<String, Object> ordered(Object... keyValues) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            out.put((String) keyValues[i], keyValues[i + 1]);
        }
        return out;
    }
}
