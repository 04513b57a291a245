package io.dmjava.worker.dump;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.unit.UnitException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The layout of a dump on disk, under {@code <subtask data dir>/dump/}: {@code metadata.json},
 * {@code schema/*.sql} and {@code data/*.tsv}. Every file is written to a temporary name, forced to disk and
 * renamed, so a file that exists is whole.
 */
public final class DumpFiles {
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final Path root;

    private DumpFiles(Path root) {
        this.root = root;
    }

    /** The dump directory of a subtask data dir. */
    public static DumpFiles of(Path subtaskDataDir) {
        return new DumpFiles(subtaskDataDir.resolve("dump"));
    }

    public Path root() {
        return root;
    }

    /**
     * Which run of which subtask this dump belongs to, the same on every worker: {@code <task>.<source>/g<generation>}
     * (the last two names of the subtask data dir). The loader's table markers and the saved plan carry it, so
     * that a worker taking the subtask over recognises what an earlier worker did for the same run.
     */
    public String dumpId() {
        Path subtask = root.getParent();
        Path parent = subtask == null ? null : subtask.getParent();
        String last = subtask == null || subtask.getFileName() == null ? "" : subtask.getFileName().toString();
        return parent == null || parent.getFileName() == null ? last : parent.getFileName() + "/" + last;
    }

    public Path metadataFile() {
        return root.resolve("metadata.json");
    }

    /** A path relative to the dump directory, as recorded in the metadata. */
    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    public Path dataDir() {
        return root.resolve("data");
    }

    public Path schemaDir() {
        return root.resolve("schema");
    }

    /** The metadata, or empty when there is none. */
    public Optional<DumpMetadata> readMetadata() {
        try {
            return Optional.of(JSON.readValue(Files.readAllBytes(metadataFile()), DumpMetadata.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JacksonException e) {
            throw new UnitException(ErrorCode.LOAD_CHUNK_CORRUPT, e, metadataFile(), e.getMessage());
        }
    }

    public void writeMetadata(DumpMetadata metadata) throws IOException {
        writeAtomically(metadataFile(), JSON.writeValueAsBytes(metadata));
    }

    /** Removes every file of a previous dump and creates the empty directories. */
    public void reset() throws IOException {
        if (Files.exists(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        Files.createDirectories(dataDir());
        Files.createDirectories(schemaDir());
    }

    /** Writes {@code text} as UTF-8 to {@code file} through a temporary file and an atomic rename. */
    public void writeText(Path file, String text) throws IOException {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileOutputStream out = new FileOutputStream(tmp.toFile())) {
            out.write(content);
            out.getChannel().force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(file.getParent());
    }

    /** Makes a rename durable: without it a crash of the machine could forget it. */
    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // Not every file system lets a directory be opened; the rename is still atomic.
        }
    }
}
