package io.dmjava.worker.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.error.ErrorCode;
import io.dmjava.model.source.SourceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Purge by request and by policy never touches the file being written nor what a reader still needs. */
class RelayPurgerTest {
    @TempDir
    Path dir;

    private final AtomicReference<String> needed = new AtomicReference<>();
    private final AtomicLong free = new AtomicLong(Long.MAX_VALUE);

    private RelayPurger purger(String active) throws Exception {
        for (int i = 1; i <= 6; i++) {
            Files.write(dir.resolve(String.format("mysql-bin.%06d", i)), RelayWriter.MAGIC);
        }
        Files.writeString(dir.resolve("relay.meta"), "binlog-name = \"" + active + "\"\n");
        return new RelayPurger("s", dir, () -> active, s -> Optional.ofNullable(needed.get()), free::get);
    }

    @Test
    void purgeBeforeKeepsTheActiveFileAndWhatReadersNeed() throws Exception {
        RelayPurger p = purger("mysql-bin.000005");
        needed.set("mysql-bin.000003");
        RelayPurger.Result r = p.purgeBefore("mysql-bin.000006");
        assertThat(r.purged()).containsExactly("mysql-bin.000001", "mysql-bin.000002");
        assertThat(r.kept()).containsExactly("mysql-bin.000003", "mysql-bin.000004", "mysql-bin.000005");
        needed.set(null);
        assertThat(p.purgeBefore("mysql-bin.000004").purged()).containsExactly("mysql-bin.000003");
        assertThat(p.purgeBefore("mysql-bin.000009").kept()).containsExactly("mysql-bin.000005", "mysql-bin.000006");
        assertThat(BinlogNames.list(dir)).containsExactly("mysql-bin.000005", "mysql-bin.000006");
        assertThat(dir.resolve("relay.meta")).exists();
        assertThatThrownBy(() -> p.purgeBefore("../mysql-bin.000009")).isInstanceOf(RelayException.class)
                .hasMessageContaining("not a binlog file name")
                .satisfies(e -> assertThat(((RelayException) e).errorCode()).isEqualTo(ErrorCode.RELAY_PURGE_INVALID));
    }

    @Test
    void policyExpiresOldFilesThenFreesSpaceOldestFirst() throws Exception {
        RelayPurger p = purger("mysql-bin.000006");
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        for (String f : List.of("mysql-bin.000001", "mysql-bin.000002")) {
            Files.setLastModifiedTime(dir.resolve(f), FileTime.from(now.minus(Duration.ofHours(30))));
        }
        for (String f : List.of("mysql-bin.000003", "mysql-bin.000004", "mysql-bin.000005", "mysql-bin.000006")) {
            Files.setLastModifiedTime(dir.resolve(f), FileTime.from(now.minus(Duration.ofHours(1))));
        }
        assertThat(p.purgeByPolicy(new SourceConfig.Purge(3600L, 0L, 15L), now).purged()).isEmpty();
        assertThat(p.purgeByPolicy(new SourceConfig.Purge(3600L, 24L, 15L), now).purged())
                .containsExactly("mysql-bin.000001", "mysql-bin.000002");
        needed.set("mysql-bin.000005");
        free.set(1L << 30); // 1 GB free, 15 wanted: delete unneeded files, oldest first, while short of space
        assertThat(p.purgeByPolicy(new SourceConfig.Purge(3600L, 24L, 15L), now).purged())
                .containsExactly("mysql-bin.000003", "mysql-bin.000004");
        assertThat(BinlogNames.list(dir)).containsExactly("mysql-bin.000005", "mysql-bin.000006");
    }
}
