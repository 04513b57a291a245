package io.dmjava.model.task.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamePatternTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "db_*        | db_01            | true",
            "db_*        | db_              | true",
            "db_*        | db              | false",
            "db_*        | xdb_01          | false",
            "*_bak       | orders_bak      | true",
            "*_bak       | orders_bak2     | false",
            "a*b*c       | aXXbYYc         | true",
            "a*b*c       | acb             | false",
            "t?          | t1              | true",
            "t?          | t               | false",
            "t?          | t12             | false",
            "orders_[0-9][0-9] | orders_42  | true",
            "orders_[0-9][0-9] | orders_4x  | false",
            "t[!0-9]     | ta              | true",
            "t[!0-9]     | t5              | false",
            "t[^0-9]     | t5              | false",
            "t[abc]      | tb              | true",
            "t[abc]      | td              | false",
            "[]]x        | ]x              | true",
            "t[a-]       | t-              | true",
            "t[a-]       | ta              | true",
            "db.v1       | db.v1           | true",
            "db.v1       | dbXv1           | false",
            "db.*        | db.orders       | true",
            "db.*        | dbXorders       | false",
            "my db       | my db           | true",
            "my*         | my db           | true",
            "`quoted`    | `quoted`        | true",
            "`q*`        | `quoted`        | true",
            "a\\b        | a\\b            | true",
            "a(b)+       | a(b)+           | true",
            "a(b)+       | abb             | false",
            "a$b^c       | a$b^c           | true",
            "\\Q*\\E     | \\Qx\\E         | true",
            "café_*      | café_paris      | true",
            "表_?        | 表_1            | true",
            "表_?        | 表_12           | false",
            "t_?         | t_😀            | true",
            "Orders      | orders          | false",
            "orders_*    | ORDERS_1        | false",
            "*           | anything        | true",
    })
    void wildcards(String pattern, String name, boolean expected) {
        assertThat(NamePattern.parse(pattern).matches(name)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "~^test.*       | test_1     | true",
            "~^test.*       | atest      | false",
            "~^test         | testing    | true",
            "~test          | my_test_x  | true",
            "~^t_\\d+$      | t_123      | true",
            "~^t_\\d+$      | t_123x     | false",
            "~^(ab)+$       | abab       | true",
            "~^[a-z]+$      | abc        | true",
            "~^[a-z]+$      | ABC        | false",
            "~\\.           | a.b        | true",
            "~\\.           | ab         | false",
    })
    void regexesAreFoundInTheNameAsInDm(String pattern, String name, boolean expected) {
        assertThat(NamePattern.parse(pattern).matches(name)).isEqualTo(expected);
    }

    @Test
    void regexAlternation() {
        assertThat(NamePattern.parse("~^(orders|users)$").matches("users")).isTrue();
        assertThat(NamePattern.parse("~^(orders|users)$").matches("users_bak")).isFalse();
    }

    @Test
    void absentEmptyAndStarSelectEverything() {
        assertThat(NamePattern.parse(null)).isSameAs(NamePattern.ALL);
        assertThat(NamePattern.parse("")).isSameAs(NamePattern.ALL);
        assertThat(NamePattern.parse("*")).isSameAs(NamePattern.ALL);
        assertThat(NamePattern.ALL.matches("")).isTrue();
    }

    @Test
    void kindsAndSpecificity() {
        assertThat(NamePattern.parse("orders").kind()).isEqualTo(NamePattern.Kind.LITERAL);
        assertThat(NamePattern.parse("orders_*").kind()).isEqualTo(NamePattern.Kind.WILDCARD);
        assertThat(NamePattern.parse("~^orders").kind()).isEqualTo(NamePattern.Kind.REGEX);
        assertThat(NamePattern.parse("orders").specificity()).isGreaterThan(NamePattern.parse("o*").specificity());
        assertThat(NamePattern.parse("o*").specificity()).isEqualTo(NamePattern.parse("~o").specificity());
        assertThat(NamePattern.parse("o*").specificity()).isGreaterThan(NamePattern.ALL.specificity());
    }

    @Test
    void invalidPatternsExplainTheError() {
        assertThatThrownBy(() -> NamePattern.parse("~(unclosed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unclosed group");
        assertThatThrownBy(() -> NamePattern.parse("orders_[0-9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unclosed character class");
        assertThatThrownBy(() -> NamePattern.parse("t[z-a]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Illegal character range");
    }

    @Test
    void patternLookalikes() {
        assertThat(NamePattern.looksLikePattern("orders")).isFalse();
        assertThat(NamePattern.looksLikePattern("db.orders")).isFalse();
        assertThat(NamePattern.looksLikePattern("orders_*")).isTrue();
        assertThat(NamePattern.looksLikePattern("t?")).isTrue();
        assertThat(NamePattern.looksLikePattern("t[1]")).isTrue();
        assertThat(NamePattern.looksLikePattern("~x")).isTrue();
    }
}
