package io.dmjava.worker.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.task.TableName;
import io.dmjava.worker.dump.DumpMetadata;
import io.dmjava.worker.unit.UnitException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaCreatorTest {
    private static final DumpMetadata.TableDump TABLE = new DumpMetadata.TableDump(0, "my db", "sel`ect", "f", List.of(),
            0, List.of());

    @Test
    void theRoutedNameReplacesTheUpstreamOne() {
        String sql = SchemaCreator.createTable("CREATE TABLE `sel``ect` (\n  `id` int(11) NOT NULL\n) ENGINE=InnoDB",
                TABLE, new TableName("tgt db", "all`shards"));
        assertThat(sql).isEqualTo("CREATE TABLE IF NOT EXISTS `tgt db`.`all``shards` (\n  `id` int(11) NOT NULL\n) ENGINE=InnoDB");
    }

    @Test
    void anUnexpectedStatementIsRefused() {
        assertThatThrownBy(() -> SchemaCreator.createTable("CREATE VIEW x", TABLE, new TableName("a", "b")))
                .isInstanceOf(UnitException.class);
    }

    @Test
    void databaseOptionsAreKept() {
        assertThat(SchemaCreator.databaseOptions("CREATE DATABASE `my db` /*!40100 DEFAULT CHARACTER SET latin1 */", "my db"))
                .isEqualTo(" /*!40100 DEFAULT CHARACTER SET latin1 */");
    }
}
