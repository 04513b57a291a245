package io.dmjava.master.etcd;

import io.dmjava.master.config.EtcdProperties;
import io.dmjava.master.config.MasterProperties;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs and supervises this master's etcd member: starts it, restarts it when it dies, stops it on
 * shutdown. The member is started from a dedicated thread that lives as long as the master, because
 * the kernel's parent-death signal ({@link EtcdMemberCommand}) fires when the starting thread exits.
 */
public final class EmbeddedEtcd implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedEtcd.class);

    private final EtcdProperties props;
    private final String name;
    private final Path dataDir;
    private final Path pidFile;
    private final Path logFile;
    private final Thread supervisor;
    private final CountDownLatch firstStart = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Process process;
    private volatile Exception startFailure;

    public EmbeddedEtcd(EtcdProperties props, MasterProperties master) {
        this.props = props;
        this.name = master.name();
        this.dataDir = props.dataDirOr(name);
        this.pidFile = dataDir.resolveSibling(dataDir.getFileName() + ".etcd.pid");
        this.logFile = dataDir.resolveSibling(dataDir.getFileName() + ".etcd.log");
        this.supervisor = new Thread(this::supervise, "etcd-supervisor");
        this.supervisor.setDaemon(true);
    }

    /** Starts the member and waits until it answers on its client URL (not until it has a quorum). */
    public void start() throws InterruptedException {
        reapLeftover();
        supervisor.start();
        if (!firstStart.await(props.startTimeout().toMillis(), TimeUnit.MILLISECONDS) || startFailure != null) {
            close();
            String why = startFailure == null
                    ? "no answer within " + props.startTimeout().toSeconds() + "s" : startFailure.getMessage();
            throw new IllegalStateException("embedded etcd member '" + name + "' did not start: " + why
                    + "; its log is " + logFile + " (a port in use? set dm.etcd.client-urls / dm.etcd.peer-urls)", startFailure);
        }
        log.info("embedded etcd member '{}' answers on {} (data dir {}, log {})", name, props.clientUrls(), dataDir, logFile);
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean isRunning() {
        Process p = process;
        return p != null && p.isAlive();
    }

    private void supervise() {
        while (!stopping) {
            try {
                EtcdMemberCommand cmd = new EtcdJoin(props, name, dataDir).command();
                Files.createDirectories(dataDir.getParent());
                ProcessBuilder pb = new ProcessBuilder(cmd.toList())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
                process = pb.start();
                Files.writeString(pidFile, Long.toString(process.pid()));
                log.info("started etcd member '{}' (pid {})", name, process.pid());
                waitUntilAnswering(process);
                firstStart.countDown();
                int exit = process.waitFor();
                if (!stopping) {
                    log.error("etcd member '{}' exited with {}; restarting it in {} ms (log {})", name, exit,
                            props.restartBackoff().toMillis(), logFile);
                }
            } catch (InterruptedException e) {
                break;
            } catch (IOException | RuntimeException e) {
                if (firstStart.getCount() > 0) {
                    startFailure = e;
                    firstStart.countDown();
                    return;
                }
                log.error("etcd member '{}' could not be restarted: {}", name, e.toString());
            }
            try {
                Thread.sleep(props.restartBackoff().toMillis());
            } catch (InterruptedException e) {
                break;
            }
        }
    }

    private void waitUntilAnswering(Process p) throws InterruptedException, IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI version = URI.create(props.clientUrlList().get(0) + "/version");
        long deadline = System.nanoTime() + props.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("etcd exited with " + p.exitValue() + " while starting: " + tail());
            }
            try {
                if (http.send(HttpRequest.newBuilder(version).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IOException("etcd did not answer on " + version + ": " + tail());
    }

    private String tail() {
        try {
            var lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /**
     * A member left over from a master that died before the kernel's parent-death signal existed
     * (or on a system without setpriv) would hold the ports and the data dir; kill it, but only if it
     * really is an etcd on our data dir.
     */
    private void reapLeftover() {
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(h -> {
                String cmdline = h.info().commandLine().orElse("");
                if (cmdline.contains("etcd") && cmdline.contains(dataDir.toString())) {
                    log.warn("killing leftover etcd member (pid {}) of an earlier run on {}", pid, dataDir);
                    h.destroyForcibly();
                    h.onExit().orTimeout(10, TimeUnit.SECONDS).join();
                }
            });
        } catch (IOException | RuntimeException e) {
            log.warn("could not check leftover etcd pid file {}: {}", pidFile, e.toString());
        }
    }

    @Override
    public void close() {
        stopping = true;
        supervisor.interrupt();
        Process p = process;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
        } catch (IOException ignored) {
            // the next start checks the pid's command line anyway
        }
        log.info("embedded etcd member '{}' stopped", name);
    }
}
