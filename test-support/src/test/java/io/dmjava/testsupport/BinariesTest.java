package io.dmjava.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;

import org.junit.jupiter.api.Test;

class BinariesTest {

    @Test
    void missingBinaryNamesTheDebianPackageAndTheVariable() {
        assertThatThrownBy(() -> Binaries.find("no-such-binary-dmjava", "DMJAVA_NO_SUCH_BIN", "dmjava-nothing"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no-such-binary-dmjava not found on PATH (nor $DMJAVA_NO_SUCH_BIN); install the"
                        + " Debian package 'dmjava-nothing' (apt-get install -y dmjava-nothing) or point"
                        + " DMJAVA_NO_SUCH_BIN at the binary");
    }

    @Test
    void findsTheServerBinariesIncludingSbin() {
        assertThat(Binaries.etcd()).isAbsolute().satisfies(p -> assertThat(Files.isExecutable(p)).isTrue());
        assertThat(Binaries.mariadbd()).isAbsolute().satisfies(p -> assertThat(Files.isExecutable(p)).isTrue());
        assertThat(Binaries.mariadbInstallDb().getFileName()).hasToString("mariadb-install-db");
    }
}
