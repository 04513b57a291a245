package io.dmjava.testsupport.service;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A worker JVM joining the given masters. */
public final class WorkerProcess extends ServiceProcess {
    private final String name;

    private WorkerProcess(String name, List<String> jvmFlags, List<String> args, Path workDir, int apiPort) {
        super(name, ServiceJars.worker(), jvmFlags, args, workDir, apiPort);
        this.name = name;
    }

    /**
     * @param join      master addresses, comma separated
     * @param extraArgs more {@code --key=value} arguments, e.g. {@code --dm.worker.keepalive-ttl=3s}
     */
    public static WorkerProcess create(String name, int apiPort, String join, Path workDir, List<String> extraArgs) {
        return create(name, apiPort, join, workDir, extraArgs, TEST_JVM_FLAGS);
    }

    /** As {@link #create(String, int, String, Path, List)}, with these JVM flags instead of {@link #TEST_JVM_FLAGS}. */
    public static WorkerProcess create(String name, int apiPort, String join, Path workDir, List<String> extraArgs,
                                       List<String> jvmFlags) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + apiPort,
                "--dm.worker.name=" + name,
                "--dm.worker.join=" + join,
                "--dm.worker.data-dir=" + workDir.resolve(name + ".data")));
        args.addAll(extraArgs);
        return new WorkerProcess(name, jvmFlags, args, workDir, apiPort);
    }

    public String name() {
        return name;
    }
}
