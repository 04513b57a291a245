package io.dmjava.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Parses rendered manifests into fabric8's typed Kubernetes model, strictly: every document must map to
 * a known kind (core, apps, policy, and the Prometheus Operator's monitoring.coreos.com/v1), and no field
 * may be unknown to that kind's schema. fabric8 keeps unknown fields (and values of the wrong type) in
 * each object's {@code additionalProperties} instead of failing, so the whole object tree is walked and
 * any non-empty {@code additionalProperties} is an error naming its path.
 */
final class StrictManifests {
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StrictManifests() {
    }

    /** Splits {@code helm template} output into documents and parses each strictly. */
    static List<HasMetadata> parse(String multiDocYaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : multiDocYaml.split("(?m)^---\\s*$")) {
            JsonNode tree = Yaml.parse(doc);
            if (tree == null || tree.isMissingNode() || tree.isNull() || tree.isEmpty()) {
                continue; // only comments (e.g. a template that rendered nothing)
            }
            out.add(parseOne(tree, doc));
        }
        return out;
    }

    private static HasMetadata parseOne(JsonNode tree, String source) {
        String what = tree.path("apiVersion").asText("?") + " " + tree.path("kind").asText("?") + " "
                + tree.path("metadata").path("name").asText("?");
        KubernetesResource resource;
        try {
            resource = SERIALIZATION.unmarshal(tree.toString(), KubernetesResource.class);
        } catch (RuntimeException e) {
            throw new AssertionError(what + " does not fit its schema: " + e.getMessage() + "\n" + source, e);
        }
        if (!(resource instanceof HasMetadata meta) || resource instanceof GenericKubernetesResource) {
            throw new AssertionError(what + ": no typed model for this apiVersion/kind (unknown kind?)\n" + source);
        }
        List<String> unknown = new ArrayList<>();
        walk(resource, what, unknown);
        if (!unknown.isEmpty()) {
            throw new AssertionError(what + " has fields its schema does not know: " + unknown + "\n" + source);
        }
        return meta;
    }

    /** Collects every non-empty additionalProperties in the object tree, with its path. */
    private static void walk(Object node, String path, List<String> unknown) {
        if (node == null) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                walk(o, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, unknown));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return; // String, Integer, Boolean, enums ...
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
                continue;
            }
            if (value != null && value != node) {
                walk(value, path + "." + propertyName(getter.getName()), unknown);
            }
        }
    }

    private static String propertyName(String getter) {
        String s = getter.startsWith("is") ? getter.substring(2) : getter.substring(3);
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }
}
