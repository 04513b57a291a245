package io.dmjava.model.task.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntersectionTest {

    @ParameterizedTest(name = "{0} & {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "*         | db_01     | db_01",
            "db_01     | *         | db_01",
            "db_*      | db_01     | db_01",
            "db_01     | db_*      | db_01",
            "db_*      | db_0?     | db_0?",
            "db_0*     | db_*      | db_0*",
            "db_*      | db_*      | db_*",
            "db_01     | db_02     | EMPTY",
            "db_*      | user_01   | EMPTY",
            "db_*      | user_*    | EMPTY",
            "~^db      | db_01     | db_01",
            "~^db      | user      | EMPTY",
            "~^db      | db_*      | UNKNOWN",
            "~^tmp_[0-9]+$ | shop_* | EMPTY",
            "~^shard_[0-9]+$ | shard_* | ~^shard_[0-9]+$",
            "shard_* | ~^shard_[0-9]+$ | ~^shard_[0-9]+$",
            "~^ab?c    | ab*       | UNKNOWN",
            "~^ab+c    | ab*       | ~^ab+c",
            "~^a(b)    | b*        | EMPTY",
            "~^ab      | ~^ac      | EMPTY",
            "~ab       | ac*       | UNKNOWN",
            "*_a       | *_b       | UNKNOWN",
            "db_?1     | db_0*     | UNKNOWN",
    })
    void namePatterns(String a, String b, String expected) {
        Intersection<NamePattern> i = Intersection.of(NamePattern.parse(a), NamePattern.parse(b));
        switch (expected) {
            case "EMPTY" -> assertThat(i.isEmpty()).isTrue();
            case "UNKNOWN" -> assertThat(i.state()).isEqualTo(Intersection.State.UNKNOWN);
            default -> assertThat(i.value()).isEqualTo(NamePattern.parse(expected));
        }
    }

    @Test
    void anAlternationHidesTheRegexPrefix() {
        Intersection<NamePattern> i = Intersection.of(NamePattern.parse("~^db|x"), NamePattern.parse("x*"));
        assertThat(i.state()).isEqualTo(Intersection.State.UNKNOWN);
    }

    @Test
    void tablePatterns() {
        TablePattern shards = TablePattern.parse("db_*", "orders_*");
        TablePattern schema = TablePattern.parse("db_01", "*");
        assertThat(shards.intersect(schema).value()).isEqualTo(TablePattern.parse("db_01", "orders_*"));
        assertThat(TablePattern.parse("db_01", "orders_*").isWithin(shards)).isTrue();
        assertThat(shards.isWithin(schema)).isFalse();
        assertThat(shards.intersect(TablePattern.parse("x", "*")).isEmpty()).isTrue();
        assertThat(shards.intersect(TablePattern.parse("~x", "*")).mayOverlap()).isTrue();
    }
}
