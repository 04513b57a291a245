package io.dmjava.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dmjava.testsupport.FreePorts;
import io.dmjava.testsupport.ManagedProcess;
import io.dmjava.testsupport.ProcessLauncher;
import io.dmjava.testsupport.service.ApiClient;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The master and worker images that {@code mvn -Pimages package} builds (Jib, docker-archive tars): their
 * config and layers are checked, then each is unpacked and run without any container runtime
 * ({@link ImageSandbox}): a master with its embedded etcd member and a worker joining it, each chrooted
 * into its own image as the image's user, must answer {@code /actuator/health} with UP.
 *
 * <p>Without the {@code images} profile the tars are not built and these tests are skipped; with it
 * (./run-tests.sh, CI) a missing tar fails them. Running an image needs root (skipped otherwise).
 */
class ImagesTest {
    private static final String VERSION = System.getProperty("dm.project.version", "0.1.0-SNAPSHOT");
    private static final String JAVA = "/opt/java/openjdk/bin/java";
    /** What the chart's javaOpts does: added to the image's JVM options, here to keep two JVMs small. */
    private static final String SMALL_JVM = "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private static Path dir;
    private static ImageArchive master;
    private static ImageArchive worker;
    private static final List<ManagedProcess> started = new ArrayList<>();

    @BeforeAll
    static void openImages() throws IOException {
        Path masterTar = tar("dm.master.image.tar", "master-service");
        Path workerTar = tar("dm.worker.image.tar", "worker-service");
        boolean required = Boolean.getBoolean("dm.images.required");
        if (!required) {
            assumeTrue(Files.isRegularFile(masterTar) && Files.isRegularFile(workerTar),
                    "image tars not built (mvn -Pimages package builds them)");
        }
        assertThat(masterTar).as("built by mvn -Pimages package").isRegularFile();
        assertThat(workerTar).as("built by mvn -Pimages package").isRegularFile();
        dir = ProcessLauncher.createTempDir("dm-images-");
        master = ImageArchive.open(masterTar, Files.createDirectories(dir.resolve("master-archive")));
        worker = ImageArchive.open(workerTar, Files.createDirectories(dir.resolve("worker-archive")));
    }

    @AfterAll
    static void cleanUp() {
        synchronized (started) {
            started.forEach(ImageSandbox::kill);
            started.clear();
        }
        if (dir != null) {
            ProcessLauncher.deleteTempDir(dir);
        }
    }

    @Test
    void imagesAreNamedAsTheChartsDefaultsAndConfiguredForIt() {
        Chart chart = Chart.render();
        Container masterPod = container(chart, "dm-dm-java-master");
        Container workerPod = container(chart, "dm-dm-java-worker");
        assertThat(master.repoTags()).containsExactly("dm-java/master:" + VERSION).containsExactly(masterPod.getImage());
        assertThat(worker.repoTags()).containsExactly("dm-java/worker:" + VERSION).containsExactly(workerPod.getImage());
        // the chart gives Spring arguments only: the image's entrypoint must run the service
        assertThat(masterPod.getCommand()).isNullOrEmpty();
        assertThat(workerPod.getCommand()).isNullOrEmpty();
        assertThat(master.entrypoint()).containsExactly(JAVA, "-cp", "@/app/jib-classpath-file", "io.dmjava.master.MasterApplication");
        assertThat(worker.entrypoint()).containsExactly(JAVA, "-cp", "@/app/jib-classpath-file", "io.dmjava.worker.WorkerApplication");
        assertThat(master.containerConfig().path("ExposedPorts").has("8261/tcp")).isTrue();
        assertThat(worker.containerConfig().path("ExposedPorts").has("8262/tcp")).isTrue();
        for (ImageArchive image : List.of(master, worker)) {
            assertThat(image.architecture()).isEqualTo("amd64");
            assertThat(image.containerConfig().path("User").asText()).as("non-root; the chart's fsGroup is 1000").isEqualTo("1000:1000");
            assertThat(image.containerConfig().path("WorkingDir").asText()).isEqualTo("/var/lib/dm");
            assertThat(image.env()).containsEntry("LANG", "C.UTF-8").containsEntry("JAVA_HOME", "/opt/java/openjdk")
                    .containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError");
        }
    }

    @Test
    void layersMatchTheirDigestsAndTheRuntimeLayerIsShared() {
        List<String> masterDiffIds = checkedDiffIds(master);
        List<String> workerDiffIds = checkedDiffIds(worker);
        // the project's own modules and the Java runtime: the same bytes in both images (built
        // reproducibly), so stored once in a registry or on a node; third-party libraries differ
        assertThat(masterDiffIds).as("layers the master shares with the worker")
                .filteredOn(workerDiffIds::contains).hasSize(2);
    }

    @Test
    void javaRunsInsideTheImageAsItsUser() throws IOException {
        assumeRoot();
        ImageSandbox box = sandbox(worker, "java-version");
        String out = box.run("java-version", List.of(JAVA, "-XshowSettings:properties", "-version"), START_TIMEOUT);
        assertThat(out).contains("java.home = /opt/java/openjdk", "java.specification.version = 17",
                "user.name = dm", "user.dir = /var/lib/dm", "sun.jnu.encoding = UTF-8");
        Path root = box.root();
        assertThat(Files.isExecutable(root.resolve("opt/java/openjdk/lib/jspawnhelper"))).as("jspawnhelper").isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/dm")))).isEqualTo("rwxrwxrwx");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("tmp")))).isEqualTo("rwxrwxrwx");
        assertThat(RepoFiles.read(root.resolve("etc/passwd"))).contains("dm:x:1000:1000:");
        assertThat(root.resolve("usr/bin/etcd")).as("only the master embeds etcd").doesNotExist();
    }

    @Test
    void masterWithEmbeddedEtcdAndWorkerRunFromTheirImages() throws IOException {
        assumeRoot();
        int api = FreePorts.allocate();
        int client = FreePorts.allocate();
        int peer = FreePorts.allocate();
        String etcdUrl = "http://127.0.0.1:" + client;
        ImageSandbox masterBox = sandbox(master, "master-root");
        assertThat(masterBox.root().resolve("usr/bin/etcd")).isExecutable();
        ManagedProcess m = start(masterBox, "master", List.of("--server.port=" + api, "--dm.master.name=m1",
                "--dm.etcd.client-urls=" + etcdUrl, "--dm.etcd.peer-urls=http://127.0.0.1:" + peer,
                "--dm.etcd.initial-cluster=m1=http://127.0.0.1:" + peer));
        ApiClient masterApi = new ApiClient("http://127.0.0.1:" + api);
        awaitUp(m, masterApi);
        assertRunsChrootedAsUser1000(masterBox, m);
        assertThat(masterBox.processes(m, "/usr/bin/etcd")).as("the master's etcd member, run from the image").hasSize(1);

        // as the chart starts a worker: joined to the masters, given the etcd endpoints
        int workerApi = FreePorts.allocate();
        ImageSandbox workerBox = sandbox(worker, "worker-root");
        ManagedProcess w = start(workerBox, "worker", List.of("--server.port=" + workerApi, "--dm.worker.name=w1",
                "--dm.worker.join=127.0.0.1:" + api, "--dm.etcd.endpoints=" + etcdUrl));
        awaitUp(w, new ApiClient("http://127.0.0.1:" + workerApi));
        assertRunsChrootedAsUser1000(workerBox, w);
        awaitAnswer(w, masterApi, "/api/v1/cluster/workers", body -> body.contains("\"w1\""));
    }

    /** Namespaces, mounts and chroot need root, as a container runtime does (CI runs as root). */
    private static void assumeRoot() throws IOException {
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
                "running an image without a container runtime needs root");
    }

    private static ImageSandbox sandbox(ImageArchive image, String name) throws IOException {
        return ImageSandbox.create(image, Files.createDirectories(dir.resolve(name)), dir);
    }

    private static ManagedProcess start(ImageSandbox box, String label, List<String> args) {
        String javaOpts = box.image().env().get("JAVA_TOOL_OPTIONS") + " " + SMALL_JVM;
        ManagedProcess p = box.start(label, args, Map.of("JAVA_TOOL_OPTIONS", javaOpts));
        synchronized (started) {
            started.add(p);
        }
        return p;
    }

    private static void awaitUp(ManagedProcess p, ApiClient api) {
        awaitAnswer(p, api, "/actuator/health", body -> body.contains("\"status\":\"UP\""));
    }

    /** Polls {@code path} until its body satisfies {@code ok}, failing with the log if the process dies. */
    private static void awaitAnswer(ManagedProcess p, ApiClient api, String path, Predicate<String> ok) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        ApiClient.Response last = null;
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("%s alive; its log:\n%s", p.label(), p.tailLog(60)).isTrue();
            last = api.get(path);
            if (last.status() == 200 && ok.test(last.body())) {
                return;
            }
            sleep();
        }
        throw new AssertionError(p.label() + ": " + path + " not as expected within " + START_TIMEOUT + "; last answer "
                + last + "; log:\n" + p.tailLog(60));
    }

    private static void assertRunsChrootedAsUser1000(ImageSandbox box, ManagedProcess sandbox) throws IOException {
        List<ProcessHandle> jvms = box.processes(sandbox, JAVA);
        assertThat(jvms).as("the image's java").hasSize(1);
        Path proc = Path.of("/proc", Long.toString(jvms.get(0).pid()));
        assertThat(Files.readSymbolicLink(proc.resolve("root"))).isEqualTo(box.root());
        assertThat(Files.readAllLines(proc.resolve("status"))).contains("Uid:\t1000\t1000\t1000\t1000")
                .contains("Gid:\t1000\t1000\t1000\t1000");
    }

    private static List<String> checkedDiffIds(ImageArchive image) {
        List<Path> layers = image.layers();
        List<String> diffIds = image.diffIds();
        assertThat(layers).hasSameSizeAs(diffIds);
        for (int i = 0; i < layers.size(); i++) {
            ImageArchive.LayerDigests d = ImageArchive.digests(layers.get(i));
            // Jib names each stored layer after the sha256 of its bytes
            assertThat("sha256:" + layers.get(i).getFileName().toString().replace(".tar.gz", "")).isEqualTo(d.compressed());
            assertThat(d.uncompressed()).as("diff_id of layer %d", i).isEqualTo(diffIds.get(i));
        }
        return diffIds;
    }

    private static Container container(Chart chart, String statefulSet) {
        return chart.get(StatefulSet.class, statefulSet).getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Path tar(String property, String module) {
        String configured = System.getProperty(property);
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : RepoFiles.root().resolve(module + "/target/jib-image.tar");
    }

    private static void sleep() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
