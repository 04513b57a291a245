package io.dmjava.master;

import static org.assertj.core.api.Assertions.assertThat;

import io.dmjava.store.EtcdKv;
import io.dmjava.testsupport.EtcdClusterExtension;
import io.dmjava.testsupport.FreePorts;
import io.dmjava.testsupport.MariaDbExtension;
import io.dmjava.testsupport.service.ApiClient;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A source's password is encrypted in etcd, masked in every answer, and never logged. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ExtendWith(OutputCaptureExtension.class)
class SourceSecretsIntegrationTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleNode();
    @RegisterExtension
    static final MariaDbExtension UP = MariaDbExtension.upstream();
    private static final int PORT = FreePorts.allocate();
    private static final String SECRET = "s3cr3t-Pa55!";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("dm.etcd.endpoints", () -> ETCD.cluster().endpoints());
        r.add("server.port", () -> PORT);
        r.add("dm.secret.key-file", () -> ETCD.cluster().directory().resolve("secret.key").toString());
    }

    @Autowired
    EtcdKv kv;

    @Test
    void passwordIsEncryptedAtRestMaskedAndNeverLogged(CapturedOutput output) throws InterruptedException {
        UP.instance().execute("CREATE USER 'dm'@'127.0.0.1' IDENTIFIED BY '" + SECRET + "'",
                "GRANT SELECT, RELOAD, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'dm'@'127.0.0.1'");
        ApiClient api = new ApiClient("http://127.0.0.1:" + PORT);
        for (int i = 0; i < 200 && api.get("/api/v1/cluster/masters").body().indexOf("\"leader\":true") < 0; i++) {
            Thread.sleep(50);
        }
        String body = "{\"source\":{\"source_name\":\"sec\",\"host\":\"127.0.0.1\",\"port\":" + UP.instance().port()
                + ",\"user\":\"dm\",\"password\":\"" + SECRET + "\"}}";
        ApiClient.Response created = api.post("/api/v1/sources", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain(SECRET).contains("\"password\":\"******\"");
        assertThat(api.get("/api/v1/sources/sec").body()).doesNotContain(SECRET).contains("******");
        assertThat(api.get("/api/v1/sources?with_status=true").body()).doesNotContain(SECRET);

        String stored = new String(kv.get("/dm/source/config/sec").orElseThrow(), StandardCharsets.UTF_8);
        assertThat(stored).doesNotContain(SECRET).contains("enc:v1:");

        // An update that sends the mask back keeps the stored password (the precheck still connects).
        ApiClient.Response updated = api.put("/api/v1/sources/sec", body.replace(SECRET, "******"));
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        // A missing privilege is named with its fix.
        UP.instance().execute("REVOKE BINLOG MONITOR ON *.* FROM 'dm'@'127.0.0.1'");
        ApiClient.Response refused = api.put("/api/v1/sources/sec", body);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("BINLOG MONITOR").contains("GRANT").doesNotContain(SECRET);

        assertThat(output.getAll()).doesNotContain(SECRET);
    }
}
