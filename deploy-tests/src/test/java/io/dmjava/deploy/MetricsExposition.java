package io.dmjava.deploy;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Metric names in Prometheus' text exposition format, as Prometheus stores them: every sample's name,
 * plus the series a declared family yields ({@code # TYPE x summary} gives {@code x_count} and
 * {@code x_sum}; a histogram also {@code x_bucket}; a counter {@code x_total}). Matching is exact, so a
 * query for {@code x_bucket} of a summary, or for a family name that is no series, is caught.
 */
final class MetricsExposition {
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_total", "_max", "_created");

    private MetricsExposition() {
    }

    static Set<String> names(String exposition) {
        Set<String> out = new TreeSet<>();
        for (String line : exposition.split("\n")) {
            String l = line.strip();
            if (l.startsWith("# TYPE ")) {
                String[] p = l.split("\\s+");
                if (p.length >= 4) {
                    String family = p[2];
                    switch (p[3]) {
                        case "summary" -> out.addAll(List.of(family + "_count", family + "_sum"));
                        case "histogram" -> out.addAll(List.of(family + "_bucket", family + "_count", family + "_sum"));
                        case "counter" -> out.add(family.endsWith("_total") ? family : family + "_total");
                        default -> out.add(family);
                    }
                }
            } else if (!l.isEmpty() && !l.startsWith("#")) {
                int end = 0;
                while (end < l.length() && l.charAt(end) != '{' && !Character.isWhitespace(l.charAt(end))) {
                    end++;
                }
                out.add(l.substring(0, end));
            }
        }
        return out;
    }

    /** For a missing name: the exported names of the same family (suffixes stripped), to say what exists. */
    static String hint(String name, Set<String> exported) {
        String base = stripSuffix(name);
        String similar = exported.stream().filter(e -> stripSuffix(e).equals(base)).collect(Collectors.joining(", "));
        return similar.isEmpty() ? "" : " (exported: " + similar + ")";
    }

    static String stripSuffix(String name) {
        for (String s : SUFFIXES) {
            if (name.endsWith(s) && name.length() > s.length()) {
                return name.substring(0, name.length() - s.length());
            }
        }
        return name;
    }
}
