package io.dmjava.deploy;

import io.dmjava.testsupport.Binaries;
import io.dmjava.testsupport.ManagedProcess;
import io.dmjava.testsupport.ProcessLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an extracted image's root file system the way a container runtime would, without one: in new
 * PID and mount namespaces ({@code unshare}, util-linux) with /proc and /dev mounted, chrooted into the
 * root, in the image's working directory, as the image's user, with only the image's environment. The
 * network is the host's, so the servers inside listen on loopback ports the test picks.
 *
 * <p>The process the harness starts and tracks is the outer {@code unshare}; {@code --kill-child} makes
 * its death (SIGKILL included) kill the namespace's first process, and the kernel then kills every other
 * process of that PID namespace (the master's etcd member, say). The mounts live only in the namespace.
 */
final class ImageSandbox {
    /**
     * The namespace's first process: mounts, then runs the entrypoint through unshare's chroot and setuid
     * and waits for it. It stays a root shell rather than exec'ing the entrypoint because a change of
     * user clears the "kill me when my parent dies" flag that {@code --kill-child} relies on.
     */
    private static final String INIT = "set -e; root=$0 wd=$1 uid=$2 gid=$3 mount=$4 unshare=$5; shift 5;"
            + " \"$mount\" -t proc proc \"$root/proc\"; \"$mount\" --rbind /dev \"$root/dev\";"
            + " \"$unshare\" --root=\"$root\" --wd=\"$wd\" --setgid \"$gid\" --setuid \"$uid\" -- \"$@\" || exit $?";

    private final ImageArchive image;
    private final Path root;
    private final Path logDir;

    private ImageSandbox(ImageArchive image, Path root, Path logDir) {
        this.image = image;
        this.root = root;
        this.logDir = logDir;
    }

    /**
     * Extracts {@code image} into {@code root} and adds what a runtime provides: mount points for /proc and
     * /dev, and /etc/hosts naming this host (Kubernetes mounts its own).
     */
    static ImageSandbox create(ImageArchive image, Path root, Path logDir) {
        image.extractInto(root);
        try {
            Files.createDirectories(root.resolve("proc"));
            Files.createDirectories(root.resolve("dev"));
            Files.createDirectories(root.resolve("etc"));
            Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 localhost " + InetAddress.getLocalHost().getHostName()
                    + "\n::1 localhost ip6-localhost ip6-loopback\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + root, e);
        }
        return new ImageSandbox(image, root, logDir);
    }

    Path root() {
        return root;
    }

    ImageArchive image() {
        return image;
    }

    /** Starts the image's entrypoint with {@code args} (as Kubernetes' container args) and extra variables. */
    ManagedProcess start(String label, List<String> args, Map<String, String> extraEnv) {
        List<String> command = new ArrayList<>(image.entrypoint());
        command.addAll(args.isEmpty() ? image.cmd() : args);
        return exec(label, command, extraEnv);
    }

    /** Starts {@code command} inside the image (as {@code docker run --entrypoint} would). */
    ManagedProcess exec(String label, List<String> command, Map<String, String> extraEnv) {
        String[] user = image.containerConfig().path("User").asText("0:0").split(":");
        String workDir = image.containerConfig().path("WorkingDir").asText("/");
        String unshare = Binaries.find("unshare", "UNSHARE_BIN", "util-linux").toString();
        List<String> cmd = new ArrayList<>(List.of(Binaries.find("env", "ENV_BIN", "coreutils").toString(), "-i"));
        // the image's variables, a runtime's override of some of them replacing the value
        Map<String, String> env = new LinkedHashMap<>(image.env());
        env.putAll(extraEnv);
        env.forEach((k, v) -> cmd.add(k + "=" + v));
        cmd.addAll(List.of(unshare, "--fork", "--kill-child", "--pid", "--mount", "--propagation", "private", "--",
                Binaries.find("sh", "SH_BIN", "dash").toString(), "-c", INIT, root.toString(), workDir, user[0],
                user.length > 1 ? user[1] : user[0], Binaries.find("mount", "MOUNT_BIN", "mount").toString(), unshare));
        cmd.addAll(command);
        return ProcessLauncher.launch(label, cmd, logDir, logDir.resolve(label + ".log"), Map.of());
    }

    /** Runs {@code command} inside the image to completion; returns its output. */
    String run(String label, List<String> command, Duration timeout) {
        ManagedProcess p = exec(label, command, Map.of());
        try {
            if (!p.waitForExit(timeout)) {
                throw new IllegalStateException(label + " still running after " + timeout + ":\n" + p.tailLog(40));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(label + " exited with " + p.exitValue() + ":\n" + p.tailLog(40));
            }
            return RepoFiles.read(p.logFile());
        } finally {
            kill(p);
        }
    }

    /** The processes running {@code executable} (a path inside the image) in the sandbox, as the host sees them. */
    List<ProcessHandle> processes(ManagedProcess sandbox, String executable) {
        String hostPath = root.resolve(executable.substring(1)).toString();
        return ProcessHandle.of(sandbox.pid()).map(h -> h.descendants()
                .filter(d -> d.info().command().orElse("").equals(hostPath)).toList()).orElse(List.of());
    }

    /** SIGKILLs the sandbox and waits until every process that ran in it is gone. */
    static void kill(ManagedProcess sandbox) {
        List<ProcessHandle> inside = ProcessHandle.of(sandbox.pid()).map(h -> h.descendants().toList()).orElse(List.of());
        sandbox.kill();
        for (ProcessHandle h : inside) {
            try {
                h.onExit().get(30, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException("pid " + h.pid() + " of " + sandbox.label() + " survived its namespace", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
