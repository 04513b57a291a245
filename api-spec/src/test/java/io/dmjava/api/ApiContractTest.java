package io.dmjava.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ApiContractTest {
    private final ApiContract contract = ApiContract.load();
    private final JsonNode doc = contract.document();

    @Test
    void isAnOpenApi303DocumentWithTheExpectedInfo() {
        assertThat(doc.path("openapi").asString()).startsWith("3.0.");
        assertThat(doc.path("info").path("title").asString()).isEqualTo("DM for Java API");
        assertThat(doc.path("info").path("version").asString()).isEqualTo("v1");
        assertThat(doc.path("info").path("description").asString())
                .contains("forward", "503", "`10xxx`", "`20xxx`", "`30xxx`", "`40xxx`", "`50xxx`", "`90xxx`");
        assertThat(ApiContract.load()).isSameAs(contract);
    }

    @Test
    void listsTheCurrentOperations() {
        assertThat(contract.operations()).containsExactlyInAnyOrder(
                "GET /api/v1/cluster/info",
                "GET /api/v1/cluster/masters",
                "DELETE /api/v1/cluster/masters/{master-name}",
                "GET /api/v1/cluster/workers",
                "DELETE /api/v1/cluster/workers/{worker-name}",
                "POST /api/v1/cluster/leader",
                "GET /api/v1/dm.json",
                "GET /api/v1/docs",
                // sources
                "POST /api/v1/sources",
                "GET /api/v1/sources",
                "GET /api/v1/sources/{source-name}",
                "PUT /api/v1/sources/{source-name}",
                "DELETE /api/v1/sources/{source-name}",
                "GET /api/v1/sources/{source-name}/status",
                "POST /api/v1/sources/{source-name}/enable",
                "POST /api/v1/sources/{source-name}/disable",
                "POST /api/v1/sources/{source-name}/transfer",
                "POST /api/v1/sources/{source-name}/relay/enable",
                "POST /api/v1/sources/{source-name}/relay/disable",
                "POST /api/v1/sources/{source-name}/relay/purge",
                "GET /api/v1/sources/{source-name}/schemas",
                "GET /api/v1/sources/{source-name}/schemas/{schema-name}",
                // tasks
                "POST /api/v1/tasks",
                "GET /api/v1/tasks",
                "GET /api/v1/tasks/{task-name}",
                "PUT /api/v1/tasks/{task-name}",
                "DELETE /api/v1/tasks/{task-name}",
                "POST /api/v1/tasks/{task-name}/start",
                "POST /api/v1/tasks/{task-name}/stop",
                "POST /api/v1/tasks/{task-name}/pause",
                "POST /api/v1/tasks/{task-name}/resume",
                "GET /api/v1/tasks/{task-name}/status",
                "GET /api/v1/tasks/{task-name}/sources/{source-name}/migrate_targets",
                "GET /api/v1/tasks/{task-name}/sources/{source-name}/binlog",
                "POST /api/v1/tasks/{task-name}/sources/{source-name}/binlog",
                "DELETE /api/v1/tasks/{task-name}/sources/{source-name}/binlog",
                "GET /api/v1/tasks/{task-name}/sources/{source-name}/schemas",
                "GET /api/v1/tasks/{task-name}/sources/{source-name}/schemas/{schema-name}",
                "GET /api/v1/tasks/{task-name}/sources/{source-name}/schemas/{schema-name}/{table-name}",
                "PUT /api/v1/tasks/{task-name}/sources/{source-name}/schemas/{schema-name}/{table-name}",
                "POST /api/v1/tasks/converters");
    }

    @Test
    void everyOperationHasAUniqueIdAndDocumentsErrorsWithErrorWithMessage() {
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String where = op.getKey() + " " + path.getKey();
                String id = op.getValue().path("operationId").asString("");
                assertThat(id).as(where).startsWith("dm_api_");
                assertThat(ids.add(id)).as("duplicate operationId " + id).isTrue();

                List<String> errorStatuses = new ArrayList<>();
                for (Map.Entry<String, JsonNode> response : op.getValue().path("responses").properties()) {
                    if (response.getKey().matches("[45]\\d\\d")) {
                        JsonNode schema = resolve(resolve(response.getValue())
                                .path("content").path("application/json").path("schema"));
                        assertThat(schema).as(where + " " + response.getKey())
                                .isEqualTo(doc.at("/components/schemas/ErrorWithMessage"));
                        errorStatuses.add(response.getKey());
                    }
                }
                assertThat(errorStatuses).as(where).isNotEmpty();
            }
        }
    }

    /** One tag per operation, the one of its area: {@code /api/v1/sources} source, {@code /api/v1/tasks} task, else cluster. */
    @Test
    void everyOperationHasTheTagOfItsArea() {
        Set<String> declared = new HashSet<>();
        doc.path("tags").values().forEach(t -> declared.add(t.path("name").asString()));
        assertThat(declared).containsExactlyInAnyOrder("cluster", "source", "task");
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            String expected = path.getKey().startsWith("/api/v1/sources") ? "source"
                    : path.getKey().startsWith("/api/v1/tasks") ? "task" : "cluster";
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                List<String> tags = new ArrayList<>();
                op.getValue().path("tags").values().forEach(t -> tags.add(t.asString()));
                assertThat(tags).as(op.getKey() + " " + path.getKey()).containsExactly(expected);
                used.add(expected);
            }
        }
        assertThat(used).isEqualTo(declared);
    }

    /** Each {name} of a path is declared by each of its operations as a required path parameter, and nothing else is. */
    @Test
    void pathParametersMatchTheirPaths() {
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            Set<String> inPath = new HashSet<>();
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
            while (m.find()) {
                inPath.add(m.group(1));
            }
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String where = op.getKey() + " " + path.getKey();
                Set<String> declared = new HashSet<>();
                Set<String> all = new HashSet<>();
                for (JsonNode p : op.getValue().path("parameters").values()) {
                    JsonNode param = resolve(p);
                    assertThat(all.add(param.path("in").asString() + ":" + param.path("name").asString()))
                            .as(where + " parameter declared twice: " + param.path("name")).isTrue();
                    if (param.path("in").asString().equals("path")) {
                        assertThat(param.path("required").asBoolean()).as(where + " " + param.path("name")).isTrue();
                        declared.add(param.path("name").asString());
                    }
                }
                assertThat(declared).as(where).isEqualTo(inPath);
            }
        }
    }

    /** The operations that answer a body name a schema of the components for it, and those answering 204 have none. */
    @Test
    void successAnswersAreDocumented() {
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String where = op.getKey() + " " + path.getKey();
                List<String> success = new ArrayList<>();
                op.getValue().path("responses").propertyNames().forEach(code -> {
                    if (code.startsWith("2")) {
                        success.add(code);
                    }
                });
                assertThat(success).as(where).hasSize(1);
                JsonNode answer = op.getValue().path("responses").path(success.get(0));
                if (success.get(0).equals("204")) {
                    assertThat(answer.has("content")).as(where).isFalse();
                }
                if (op.getKey().equals("post") && path.getKey().matches("/api/v1/(sources|tasks)")) {
                    assertThat(success).as(where + " creates").containsExactly("201");
                }
                if (op.getKey().equals("delete")) {
                    assertThat(success).as(where + " deletes").containsExactly("204");
                }
            }
        }
    }

    @Test
    void everyRefResolvesToAComponent() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(ref).startsWith("#/components/");
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    @Test
    void servesTheSameDocumentAsJson() {
        JsonNode fromJson = JsonMapper.builder().build().readTree(contract.asJson());
        assertThat(fromJson).isEqualTo(doc);
        assertThat(contract.asJson()).contains("\n");
    }

    @Test
    void schemaLooksUpComponentsAndRejectsUnknownNames() {
        assertThat(contract.schema("ClusterInfo").path("properties").has("cluster_id")).isTrue();
        assertThat(contract.schema("Source").path("properties").has("relay_config")).isTrue();
        assertThat(contract.schema("Task").path("properties").has("table_migrate_rule")).isTrue();
        assertThatThrownBy(() -> contract.schema("NoSuchSchema")).isInstanceOf(IllegalArgumentException.class);
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? doc.at(node.get("$ref").asString().substring(1)) : node;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.has("$ref")) {
            refs.add(node.get("$ref").asString());
        }
        for (JsonNode child : node.values()) {
            collectRefs(child, refs);
        }
    }
}
