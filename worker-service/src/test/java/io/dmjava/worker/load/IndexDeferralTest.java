package io.dmjava.worker.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.worker.load.IndexDeferral.DeferredIndex;
import org.junit.jupiter.api.Test;

class IndexDeferralTest {
    private static final String SBTEST = """
            CREATE TABLE `sbtest1` (
              `id` int(11) NOT NULL AUTO_INCREMENT,
              `k` int(11) NOT NULL DEFAULT 0,
              `c` char(120) NOT NULL DEFAULT '',
              PRIMARY KEY (`id`),
              UNIQUE KEY `uc` (`c`),
              KEY `k_1` (`k`),
              KEY `k``c` (`k`,`c`(10)) USING BTREE COMMENT 'x,y',
              FULLTEXT KEY `ft` (`c`)
            ) ENGINE=InnoDB AUTO_INCREMENT=100 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin""";

    @Test
    void plainKeysAreDeferredInOrderAndTheRestIsKept() {
        IndexDeferral d = IndexDeferral.of(SBTEST);
        assertThat(d.deferred()).containsExactly(new DeferredIndex("k_1", "KEY `k_1` (`k`)"),
                new DeferredIndex("k`c", "KEY `k``c` (`k`,`c`(10)) USING BTREE COMMENT 'x,y'"));
        assertThat(d.createTable()).isEqualTo("""
                CREATE TABLE `sbtest1` (
                  `id` int(11) NOT NULL AUTO_INCREMENT,
                  `k` int(11) NOT NULL DEFAULT 0,
                  `c` char(120) NOT NULL DEFAULT '',
                  PRIMARY KEY (`id`),
                  UNIQUE KEY `uc` (`c`),
                  FULLTEXT KEY `ft` (`c`)
                ) ENGINE=InnoDB AUTO_INCREMENT=100 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin""");
        assertThat(IndexDeferral.addClauses(d.deferred()))
                .isEqualTo("ADD KEY `k_1` (`k`), ADD KEY `k``c` (`k`,`c`(10)) USING BTREE COMMENT 'x,y'");
    }

    @Test
    void theLastKeyGoingLeavesNoTrailingComma() {
        IndexDeferral d = IndexDeferral.of("CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `k` int(11) DEFAULT NULL,\n"
                + "  PRIMARY KEY (`id`),\n  KEY `k` (`k`)\n) ENGINE=InnoDB DEFAULT CHARSET=latin1");
        assertThat(d.createTable()).isEqualTo("CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `k` int(11) DEFAULT NULL,\n"
                + "  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=latin1");
        assertThat(d.deferred()).extracting(DeferredIndex::name).containsExactly("k");
    }

    @Test
    void aKeyTheAutoIncrementColumnNeedsStaysWithEveryKeyBeforeIt() {
        String sql = "CREATE TABLE `t` (\n  `a` int(11) NOT NULL,\n  `id` int(11) NOT NULL AUTO_INCREMENT,\n"
                + "  `b` int(11) DEFAULT NULL,\n  PRIMARY KEY (`a`),\n  KEY `b1` (`b`),\n  KEY `ai` (`id`,`b`),\n"
                + "  KEY `b2` (`b`,`a`)\n) ENGINE=InnoDB";
        IndexDeferral d = IndexDeferral.of(sql);
        assertThat(d.deferred()).extracting(DeferredIndex::name).containsExactly("b2");
        assertThat(d.createTable()).contains("KEY `b1` (`b`),\n  KEY `ai` (`id`,`b`)\n)");
    }

    @Test
    void tablesItCannotVouchForDeferNothing() {
        String fk = "CREATE TABLE `c` (\n  `id` int(11) NOT NULL,\n  `p` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n"
                + "  KEY `p` (`p`),\n  CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `par` (`id`)\n) ENGINE=InnoDB";
        String myisam = "CREATE TABLE `m` (\n  `id` int(11) NOT NULL,\n  `k` int(11),\n  PRIMARY KEY (`id`),\n"
                + "  KEY `k` (`k`)\n) ENGINE=MyISAM";
        String versioned = "CREATE TABLE `v` (\n  `id` int(11) NOT NULL,\n  `k` int(11),\n  PRIMARY KEY (`id`),\n"
                + "  KEY `k` (`k`)\n) ENGINE=InnoDB WITH SYSTEM VERSIONING";
        String odd = "CREATE TABLE `o` (\n  `id` int(11) NOT NULL DEFAULT 'a\nb',\n  KEY `k` (`id`)\n) ENGINE=InnoDB";
        String noKeys = "CREATE TABLE `n` (\n  `id` int(11) NOT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB";
        for (String sql : new String[] {fk, myisam, versioned, odd, noKeys}) {
            IndexDeferral d = IndexDeferral.of(sql);
            assertThat(d.deferred()).as(sql).isEmpty();
            assertThat(d.createTable()).isEqualTo(sql);
        }
    }

    @Test
    void spatialKeysAreDeferredWithThePlainOnes() {
        IndexDeferral d = IndexDeferral.of("CREATE TABLE `g` (\n  `id` int(11) NOT NULL,\n  `p` point NOT NULL,\n"
                + "  `k` int(11) DEFAULT NULL,\n  PRIMARY KEY (`id`),\n  KEY `k` (`k`),\n  SPATIAL KEY `p` (`p`)\n) ENGINE=InnoDB");
        assertThat(d.deferred()).extracting(DeferredIndex::definition).containsExactly("KEY `k` (`k`)", "SPATIAL KEY `p` (`p`)");
    }
}
