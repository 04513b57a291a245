package io.dmjava.model.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dmjava.model.cluster.WorkerInfo;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyFamilyTest {
    @Test
    void segmentsAreEncodedSoNamesCannotEscapeTheirFamily() {
        KeyFamily f = new KeyFamily("/dm/stage/subtask");
        String key = f.key("src/1", "task a+b");
        assertThat(key).isEqualTo("/dm/stage/subtask/src%2F1/task%20a%2Bb");
        assertThat(f.segments(key)).containsExactly("src/1", "task a+b");
        assertThat(f.lastSegment(key)).isEqualTo("task a+b");
        assertThat(f.rangePrefix("src/1")).isEqualTo("/dm/stage/subtask/src%2F1/");
    }

    @Test
    void rejectsKeysOfAnotherFamily() {
        assertThatThrownBy(() -> EtcdKeys.BOUND.segments("/dm/last-bound/w1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KeyFamily("dm/x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void codecRoundTripsRecordsAndReportsCorruptValues() {
        JsonCodec codec = new JsonCodec();
        WorkerInfo w = new WorkerInfo("w1", "127.0.0.1:8262");
        assertThat(codec.decode(codec.encode(w), WorkerInfo.class)).isEqualTo(w);
        assertThat(codec.decode("{\"name\":\"w\",\"addr\":\"a\",\"future\":1}".getBytes(StandardCharsets.UTF_8),
                WorkerInfo.class)).isEqualTo(new WorkerInfo("w", "a"));
        assertThatThrownBy(() -> codec.decode("nope".getBytes(StandardCharsets.UTF_8), WorkerInfo.class))
                .isInstanceOf(JsonCodec.CorruptValueException.class)
                .hasMessageContaining("WorkerInfo");
    }
}
