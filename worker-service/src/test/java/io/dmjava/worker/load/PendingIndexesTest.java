package io.dmjava.worker.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.worker.load.IndexDeferral.DeferredIndex;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingIndexesTest {
    private static final List<DeferredIndex> TWO = List.of(new DeferredIndex("k", "KEY `k` (`k`)"),
            new DeferredIndex("we`ird", "KEY `we``ird` (`c`) COMMENT 'a, b'"));

    @Test
    void theRecordFollowsTheOriginalCommentAndReadsBackExactly() {
        String comment = new PendingIndexes("it's \\ a\nnote", TWO).comment().orElseThrow();
        assertThat(comment).startsWith("it's \\ a\nnote" + PendingIndexes.MARK);
        assertThat(PendingIndexes.parse(comment)).contains(new PendingIndexes("it's \\ a\nnote", TWO));
        assertThat(PendingIndexes.parse(new PendingIndexes("", TWO).comment().orElseThrow()))
                .contains(new PendingIndexes("", TWO));
    }

    @Test
    void aCommentWithoutARecordHasNoneAndARecordThatWouldNotFitIsNotMade() {
        assertThat(PendingIndexes.parse("")).isEmpty();
        assertThat(PendingIndexes.parse("-- dm-java: secondary indexes still to add --")).isEmpty();
        assertThat(PendingIndexes.parse("x" + PendingIndexes.MARK + "not a key")).isEmpty();
        String longest = "c".repeat(PendingIndexes.MAX_COMMENT_CHARS - PendingIndexes.MARK.length() - 13);
        assertThat(new PendingIndexes(longest, TWO.subList(0, 1)).comment()).isPresent();
        assertThat(new PendingIndexes(longest + "c", TWO.subList(0, 1)).comment()).isEmpty();
    }
}
