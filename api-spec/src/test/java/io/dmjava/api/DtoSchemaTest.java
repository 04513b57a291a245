package io.dmjava.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.api.model.ClusterInfo;
import io.dmjava.api.model.ClusterMaster;
import io.dmjava.api.model.ClusterWorker;
import io.dmjava.api.model.ErrorWithMessage;
import io.dmjava.api.model.LeaderOperationRequest;
import io.dmjava.api.model.LeaderOperationResponse;
import io.dmjava.api.model.ListResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each DTO serializes to exactly the properties (and JSON types) its schema in the document lists. */
class DtoSchemaTest {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final ApiContract CONTRACT = ApiContract.load();
    private static final JsonNode DOC = CONTRACT.document();

    static Stream<Arguments> dtos() {
        ClusterMaster master = new ClusterMaster("master1", true, true, "127.0.0.1:8261");
        ClusterWorker worker = new ClusterWorker("worker1", "127.0.0.1:8262", "bound", "mysql-replica-01");
        return Stream.of(
                Arguments.of("ErrorWithMessage", new ErrorWithMessage(20001, "master 'x' does not exist")),
                Arguments.of("ClusterInfo", new ClusterInfo(7_000_000_000L)),
                Arguments.of("ClusterMaster", master),
                Arguments.of("ClusterWorker", worker),
                Arguments.of("GetClusterMasterListResponse", ListResponse.of(List.of(master))),
                Arguments.of("GetClusterWorkerListResponse", ListResponse.of(List.of(worker))),
                Arguments.of("LeaderOperationRequest", new LeaderOperationRequest("cancel-evict", "master1")),
                Arguments.of("LeaderOperationResponse",
                        new LeaderOperationResponse("evict", "master2", List.of("master1"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtos")
    void serializesToItsSchema(String schemaName, Object dto) {
        JsonNode json = MAPPER.valueToTree(dto);
        assertThat(Set.copyOf(json.propertyNames()))
                .isEqualTo(Set.copyOf(CONTRACT.schema(schemaName).path("properties").propertyNames()));
        assertConforms(json, CONTRACT.schema(schemaName), schemaName);
    }

    @Test
    void everyObjectSchemaHasADto() {
        Set<String> covered = new HashSet<>();
        dtos().forEach(a -> covered.add((String) a.get()[0]));
        assertThat(covered).containsExactlyInAnyOrderElementsOf(DOC.path("components").path("schemas").propertyNames());
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

    /** Checks {@code value} against {@code schema} (following $refs): property sets, JSON types, enums. */
    private static void assertConforms(JsonNode value, JsonNode schema, String where) {
        if (schema.has("$ref")) {
            schema = DOC.at(schema.get("$ref").asString().substring(1));
        }
        String type = schema.path("type").asString("");
        switch (type) {
            case "object" -> {
                assertThat(value.isObject()).as(where + " is an object").isTrue();
                JsonNode properties = schema.path("properties");
                assertThat(Set.copyOf(value.propertyNames())).as(where + " properties")
                        .isEqualTo(Set.copyOf(properties.propertyNames()));
                for (String name : properties.propertyNames()) {
                    assertConforms(value.get(name), properties.get(name), where + "." + name);
                }
            }
            case "array" -> {
                assertThat(value.isArray()).as(where + " is an array").isTrue();
                for (JsonNode item : value.values()) {
                    assertConforms(item, schema.path("items"), where + "[]");
                }
            }
            case "integer" -> assertThat(value.isIntegralNumber()).as(where + " is an integer").isTrue();
            case "boolean" -> assertThat(value.isBoolean()).as(where + " is a boolean").isTrue();
            case "string" -> assertThat(value.isString()).as(where + " is a string").isTrue();
            default -> throw new AssertionError(where + ": unexpected schema type '" + type + "'");
        }
        if (schema.has("enum")) {
            assertThat(schema.get("enum").values()).as(where + " enum").contains(value);
        }
    }
}
