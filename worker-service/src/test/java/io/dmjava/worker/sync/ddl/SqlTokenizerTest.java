package io.dmjava.worker.sync.ddl;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.worker.sync.ddl.Token.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlTokenizerTest {
    private static List<String> texts(String sql) {
        return SqlTokenizer.tokenize(sql).stream().map(Token::text).toList();
    }

    @Test
    void splitsWordsAndSymbolsAndSkipsWhiteSpace() {
        assertThat(texts("CREATE  TABLE\tdb.t(\na int)")).containsExactly("CREATE", "TABLE", "db", ".", "t", "(", "a",
                "int", ")");
    }

    @Test
    void quotedIdentifiersDoubleTheirBacktick() {
        List<Token> tokens = SqlTokenizer.tokenize("`a``b`.`c.d e`");
        assertThat(tokens).extracting(Token::type).containsExactly(Type.QUOTED_IDENTIFIER, Type.SYMBOL,
                Type.QUOTED_IDENTIFIER);
        assertThat(tokens).extracting(Token::text).containsExactly("a`b", ".", "c.d e");
        assertThat(tokens.get(0).start()).isZero();
        assertThat(tokens.get(0).end()).isEqualTo(6);
    }

    @Test
    void stringsResolveBothEscapeStyles() {
        List<Token> tokens = SqlTokenizer.tokenize("'it''s' 'a\\'b;c' \"x\"\"y\" 'back\\\\' 'n\\n'");
        assertThat(tokens).extracting(Token::text).containsExactly("it's", "a'b;c", "x\"y", "back\\", "n\n");
        assertThat(tokens).extracting(Token::type).containsExactly(Type.STRING, Type.STRING, Type.DOUBLE_QUOTED,
                Type.STRING, Type.STRING);
    }

    @Test
    void backslashDoesNotEscapeInsideBackticks() {
        assertThat(texts("`a\\` b")).containsExactly("a\\", "b");
    }

    @Test
    void commentsAreSkipped() {
        assertThat(texts("a /* b `c` */ d -- e\nf # g 'h\ni --\nj")).containsExactly("a", "d", "f", "i", "j");
    }

    @Test
    void doubleDashWithoutSpaceIsNotAComment() {
        assertThat(texts("1--2")).containsExactly("1", "-", "-", "2");
    }

    @Test
    void unterminatedCommentRunsToTheEnd() {
        assertThat(texts("a /* b c")).containsExactly("a");
    }

    @Test
    void executableCommentsAreCode() {
        assertThat(texts("/*!40101 SET x */ a /*!b*/ /*M!100100 c */ /*!80000 d*/"))
                .containsExactly("SET", "x", "a", "b", "c", "d");
    }

    @Test
    void commentMarkersInsideStringsAreText() {
        assertThat(texts("'/* x */' \"-- y\" `#z`")).containsExactly("/* x */", "-- y", "#z");
    }

    @Test
    void lineCommentInsideExecutableCommentEndsAtItsClose() {
        assertThat(texts("/*!50100 a -- b */ c")).containsExactly("a", "c");
    }

    @Test
    void unicodeIdentifiersAreWords() {
        List<Token> tokens = SqlTokenizer.tokenize("CREATE TABLE ünïcødé.表格$1 (x int)");
        assertThat(tokens.get(2).type()).isEqualTo(Type.WORD);
        assertThat(tokens.get(2).text()).isEqualTo("ünïcødé");
        assertThat(tokens.get(4).text()).isEqualTo("表格$1");
    }

    @Test
    void unterminatedStringKeepsWhatItHas() {
        assertThat(texts("a 'bc")).containsExactly("a", "bc");
    }
}
