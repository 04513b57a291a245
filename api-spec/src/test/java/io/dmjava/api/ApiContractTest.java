package io.dmjava.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        assertThat(doc.path("info").path("description").asString()).contains("forward", "503");
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
                "GET /api/v1/docs");
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
                assertThat(op.getValue().path("tags").toString()).as(where).contains("cluster");

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
