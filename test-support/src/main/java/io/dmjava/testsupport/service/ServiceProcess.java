package io.dmjava.testsupport.service;

import io.dmjava.testsupport.ManagedProcess;
import io.dmjava.testsupport.ProcessLauncher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A master or worker JVM run from its jar as a separate process, so tests can SIGKILL, SIGSTOP and
 * restart it like a real deployment. Restart keeps the same arguments (ports, data dir).
 */
public class ServiceProcess implements AutoCloseable {
    /**
     * Small heap and a quick JIT: tests start many of these on two cores. Not how a deployment runs the services
     * (the images use the JVM's defaults), which is why a benchmark may pass its own.
     */
    public static final List<String> TEST_JVM_FLAGS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xss512k");

    private final String label;
    private final Path jar;
    private final List<String> jvmFlags;
    private final List<String> args;
    private final Path workDir;
    private final int apiPort;
    private final ApiClient api;
    private ManagedProcess process;

    protected ServiceProcess(String label, Path jar, List<String> jvmFlags, List<String> args, Path workDir, int apiPort) {
        this.label = label;
        this.jar = jar;
        this.jvmFlags = List.copyOf(jvmFlags);
        this.args = List.copyOf(args);
        this.workDir = workDir;
        this.apiPort = apiPort;
        this.api = new ApiClient("http://127.0.0.1:" + apiPort);
    }

    public String label() {
        return label;
    }

    public int apiPort() {
        return apiPort;
    }

    /** {@code 127.0.0.1:<port>}, as the service advertises itself. */
    public String addr() {
        return "127.0.0.1:" + apiPort;
    }

    public ApiClient api() {
        return api;
    }

    public Path workDir() {
        return workDir;
    }

    public synchronized ManagedProcess process() {
        return process;
    }

    /** Starts the JVM (again, after a kill or stop) without waiting for it to answer. */
    public synchronized ServiceProcess launch() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(label + " is already running");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        process = ProcessLauncher.launch(label, cmd, workDir, workDir.resolve(label + ".log"), Map.of());
        return this;
    }

    /** Waits until {@code /actuator/health} answers 200, failing with the tail of the log. */
    public ServiceProcess awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ManagedProcess p = process();
            if (p == null || !p.isAlive()) {
                throw new IllegalStateException(label + " exited while starting:\n" + tail());
            }
            if (api.get("/actuator/health").status() == 200) {
                return this;
            }
            sleep(200);
        }
        throw new IllegalStateException(label + " did not become healthy within " + timeout + ":\n" + tail());
    }

    public boolean isAlive() {
        ManagedProcess p = process();
        return p != null && p.isAlive();
    }

    /** SIGKILL: the process gets no chance to clean up. */
    public void kill() {
        process().kill();
    }

    /** SIGTERM and wait: a graceful shutdown. */
    public void stop() {
        process().terminate(Duration.ofSeconds(20));
    }

    public void suspend() {
        process().suspend();
    }

    public void resume() {
        process().resume();
    }

    public String tail() {
        ManagedProcess p = process();
        return p == null ? "(not started)" : p.tailLog(40);
    }

    @Override
    public void close() {
        ManagedProcess p = process();
        if (p != null && p.isAlive()) {
            p.terminate(Duration.ofSeconds(10));
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
