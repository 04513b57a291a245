package io.dmjava.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * A container image in the docker-archive format that {@code jib:buildTar} writes (what {@code docker load},
 * {@code ctr images import} and {@code skopeo copy docker-archive:} read): a tar holding {@code manifest.json},
 * the image config and one gzipped tar per layer. Unpacked with the system's {@code tar}.
 */
final class ImageArchive {
    private static final Duration TAR_TIMEOUT = Duration.ofMinutes(2);

    private final Path dir;
    private final JsonNode manifest;
    private final JsonNode config;

    private ImageArchive(Path dir, JsonNode manifest, JsonNode config) {
        this.dir = dir;
        this.manifest = manifest;
        this.config = config;
    }

    /** Unpacks {@code tar} (not its layers) into the empty directory {@code dir}. */
    static ImageArchive open(Path tar, Path dir) {
        run(List.of("tar", "-xf", tar.toString(), "-C", dir.toString()));
        JsonNode manifests = Yaml.parseJson(RepoFiles.read(dir.resolve("manifest.json")));
        if (manifests.size() != 1) {
            throw new IllegalStateException(tar + " holds " + manifests.size() + " images, expected one");
        }
        JsonNode manifest = manifests.get(0);
        JsonNode config = Yaml.parseJson(RepoFiles.read(dir.resolve(manifest.path("Config").asText())));
        return new ImageArchive(dir, manifest, config);
    }

    List<String> repoTags() {
        return strings(manifest.path("RepoTags"));
    }

    /** The runtime part of the image config: Entrypoint, Env, User, WorkingDir, ExposedPorts, Labels... */
    JsonNode containerConfig() {
        return config.path("config");
    }

    String architecture() {
        return config.path("architecture").asText();
    }

    List<String> entrypoint() {
        return strings(containerConfig().path("Entrypoint"));
    }

    List<String> cmd() {
        return strings(containerConfig().path("Cmd"));
    }

    /** {@code Env} as a map, in image order. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String entry : strings(containerConfig().path("Env"))) {
            int eq = entry.indexOf('=');
            env.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
        return env;
    }

    /** The layer files, base first. */
    List<Path> layers() {
        return strings(manifest.path("Layers")).stream().map(dir::resolve).toList();
    }

    /** {@code rootfs.diff_ids}: the sha256 of each layer's uncompressed tar, base first. */
    List<String> diffIds() {
        return strings(config.path("rootfs").path("diff_ids"));
    }

    /** {@code sha256:<hex>} of a layer as stored (gzipped) and of its uncompressed content. */
    record LayerDigests(String compressed, String uncompressed) {
    }

    static LayerDigests digests(Path layer) {
        try (InputStream raw = Files.newInputStream(layer);
             DigestInputStream compressed = new DigestInputStream(raw, sha256());
             DigestInputStream uncompressed = new DigestInputStream(new GZIPInputStream(compressed), sha256())) {
            uncompressed.transferTo(OutputStream.nullOutputStream());
            // a gzip member may end before the file does: hash what is left of the stored bytes too
            compressed.transferTo(OutputStream.nullOutputStream());
            return new LayerDigests(hex(compressed.getMessageDigest()), hex(uncompressed.getMessageDigest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read layer " + layer, e);
        }
    }

    /** Applies the layers in order onto {@code root}, as a container runtime does (Jib writes no whiteouts). */
    void extractInto(Path root) {
        for (Path layer : layers()) {
            // --same-owner and modes as stored: the test runs as root, like a container runtime
            run(List.of("tar", "-xzf", layer.toString(), "-C", root.toString(), "--same-owner", "--same-permissions"));
        }
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                if (!p.waitFor(TAR_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException(String.join(" ", command) + " still running after " + TAR_TIMEOUT);
                }
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ": " + out);
                }
            } finally {
                p.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + command, e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(MessageDigest digest) {
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }
}
