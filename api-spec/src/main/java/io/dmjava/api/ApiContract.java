package io.dmjava.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The source of truth of the REST contract: the OpenAPI 3 document {@code openapi/dm.yaml} on the
 * classpath. The master serves {@link #asJson()} at {@code /api/v1/dm.json} (and Swagger UI at
 * {@code /api/v1/docs}), and a master test checks its controllers against {@link #operations()}.
 * Instances are immutable; {@link #load()} parses the document once.
 */
public final class ApiContract {

    /** The classpath location of the document. */
    public static final String RESOURCE = "/openapi/dm.yaml";

    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final JsonNode document;
    private final String json;
    private final Set<String> operations;

    private ApiContract(JsonNode document) {
        this.document = document;
        this.json = JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(document);
        Set<String> ops = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
            for (String method : path.getValue().propertyNames()) {
                if (HTTP_METHODS.contains(method)) {
                    ops.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        this.operations = Collections.unmodifiableSet(ops);
    }

    /** The contract, parsed from the classpath on first use. */
    public static ApiContract load() {
        return Holder.INSTANCE;
    }

    /** The document as pretty-printed JSON. */
    public String asJson() {
        return json;
    }

    /** Every operation of the document as {@code "METHOD path"}, e.g. {@code "GET /api/v1/cluster/masters"}. */
    public Set<String> operations() {
        return operations;
    }

    /**
     * A copy of the schema {@code components.schemas.<name>}.
     *
     * @throws IllegalArgumentException when the document has no such schema
     */
    public JsonNode schema(String name) {
        JsonNode schema = document.path("components").path("schemas").get(name);
        if (schema == null) {
            throw new IllegalArgumentException("no schema '" + name + "' in " + RESOURCE);
        }
        return schema.deepCopy();
    }

    /** A copy of the whole document. */
    public JsonNode document() {
        return document.deepCopy();
    }

    private static final class Holder {
        static final ApiContract INSTANCE = new ApiContract(read());

        private static JsonNode read() {
            try (InputStream in = ApiContract.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is not on the classpath");
                }
                return YAMLMapper.builder().build().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
