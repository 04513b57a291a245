package io.dmjava.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU-seconds (user + system) per process, from {@code /proc/<pid>/stat}. The machine the benchmark runs on
 * is CPU-bound and may be shared, so wall times are noisy while the CPU a contender's processes burn is not:
 * it is what the contender costs, whoever else runs. The servers live through every contender, so each is
 * measured as the difference between a {@link #start() start} and an {@link #stop() stop} around one run;
 * short-lived tools (mydumper, myloader) are run under a shell that reports the CPU of its waited-for
 * children ({@link #ofChildren}).
 */
final class CpuSeconds {
    /** Clock ticks per second of the stat fields; USER_HZ is 100 on every Linux this runs on. */
    private static final double TICKS = clockTicks();

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, Double> started = new LinkedHashMap<>();
    private final Map<String, Double> measured = new LinkedHashMap<>();

    /** Adds a long-lived process to measure; call before {@link #start()}. */
    CpuSeconds watch(String role, long pid) {
        pids.put(role, pid);
        return this;
    }

    CpuSeconds start() {
        pids.forEach((role, pid) -> started.put(role, of(pid)));
        return this;
    }

    /** Records the CPU used by each watched process since {@link #start()}. */
    CpuSeconds stop() {
        pids.forEach((role, pid) -> measured.put(role, of(pid) - started.get(role)));
        return this;
    }

    /** Adds a figure measured elsewhere (a child that has exited). */
    CpuSeconds add(String role, double seconds) {
        measured.merge(role, seconds, Double::sum);
        return this;
    }

    Map<String, Double> measured() {
        return measured;
    }

    double total() {
        return measured.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** Prints one column per contender, one row per process, and the totals. */
    static void printTable(Map<String, CpuSeconds> byContender) {
        Map<String, Boolean> roles = new LinkedHashMap<>();
        byContender.values().forEach(c -> c.measured.keySet().forEach(r -> roles.put(r, true)));
        StringBuilder head = new StringBuilder(String.format("%-28s", "CPU-seconds (user+sys)"));
        byContender.keySet().forEach(name -> head.append(String.format(" %20s", name)));
        System.out.println(head);
        for (String role : roles.keySet()) {
            StringBuilder row = new StringBuilder(String.format("%-28s", role));
            for (CpuSeconds c : byContender.values()) {
                Double s = c.measured.get(role);
                row.append(s == null ? String.format(" %20s", "-") : String.format(" %20.1f", s));
            }
            System.out.println(row);
        }
        StringBuilder total = new StringBuilder(String.format("%-28s", "total"));
        byContender.values().forEach(c -> total.append(String.format(" %20.1f", c.total())));
        System.out.println(total);
    }

    /** User + system CPU-seconds of a running process so far. */
    static double of(long pid) {
        long[] f = statFields(Path.of("/proc", Long.toString(pid), "stat"));
        return (f[0] + f[1]) / TICKS;
    }

    /**
     * Wraps a command in {@code sh} that, after the command exits, writes its own stat line to {@code statFile}:
     * a process's cutime/cstime are the CPU of its children that it waited for, here exactly the command's
     * (with any processes it forked and waited for). Read with {@link #ofChildren}. Exits with the command's status.
     */
    static List<String> measuredCommand(List<String> command, Path statFile) {
        StringBuilder quoted = new StringBuilder();
        for (String arg : command) {
            quoted.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return List.of("sh", "-c", quoted + "; rc=$?; cat /proc/$$/stat > '" + statFile + "'; exit $rc");
    }

    /** CPU-seconds of the waited-for children recorded by a {@link #measuredCommand}. */
    static double ofChildren(Path statFile) {
        long[] f = statFields(statFile);
        return (f[2] + f[3]) / TICKS;
    }

    /** utime, stime, cutime, cstime (fields 14-17 of proc(5)); the command name before them may hold spaces. */
    private static long[] statFields(Path stat) {
        try {
            String line = Files.readString(stat, StandardCharsets.US_ASCII);
            String[] rest = line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
            // rest[0] is field 3 (state), so field n is rest[n - 3].
            return new long[] {Long.parseLong(rest[11]), Long.parseLong(rest[12]), Long.parseLong(rest[13]),
                    Long.parseLong(rest[14])};
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + stat + ": " + e.getMessage(), e);
        }
    }

    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return p.waitFor() == 0 ? Double.parseDouble(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
