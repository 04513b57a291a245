package io.dmjava.bench;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} command-line options with defaults; an unknown option is an error. */
final class Args {
    private Args() {
    }

    static Map<String, String> parse(String[] argv, Map<String, String> defaults) {
        Map<String, String> out = new HashMap<>(defaults);
        for (int i = 0; i < argv.length; i++) {
            String key = argv[i].replaceFirst("^--", "");
            if (!defaults.containsKey(key) || i + 1 >= argv.length) {
                throw new IllegalArgumentException("unknown or incomplete option " + argv[i] + "; options: " + defaults.keySet());
            }
            out.put(key, argv[++i]);
        }
        return out;
    }
}
