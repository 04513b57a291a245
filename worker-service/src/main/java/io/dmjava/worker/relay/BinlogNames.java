package io.dmjava.worker.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Binlog file names ({@code mysql-bin.000042}): which names are binlog files, and their order. */
public final class BinlogNames {
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9_][A-Za-z0-9._-]{0,200})\\.(\\d{1,10})");

    /** Upstream order: by base name, then by the number after the last dot. */
    public static final Comparator<String> ORDER = Comparator.comparing(BinlogNames::base)
            .thenComparingLong(BinlogNames::index);

    private BinlogNames() {
    }

    /** Whether {@code name} looks like a binlog file name (and is safe as a file name: no path separators). */
    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The number after the last dot (42 for {@code mysql-bin.000042}); 0 when the name is not a binlog name. */
    public static long index(String name) {
        Matcher m = NAME.matcher(name == null ? "" : name);
        return m.matches() ? Long.parseLong(m.group(2)) : 0;
    }

    private static String base(String name) {
        Matcher m = NAME.matcher(name);
        return m.matches() ? m.group(1) : name;
    }

    /** The binlog files in {@code dir}, in upstream order. */
    static List<String> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).filter(BinlogNames::valid)
                    .sorted(ORDER).toList();
        }
    }
}
