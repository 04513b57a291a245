package io.dmjava.worker.config;

import io.dmjava.store.EtcdKv;
import io.dmjava.worker.relay.RelayLogs;
import io.dmjava.worker.relay.RelayMetrics;
import io.dmjava.worker.relay.RelayRetention;
import io.dmjava.worker.relay.RelaySupervisor;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.model.secret.SecretCipher;
import io.dmjava.worker.metrics.SubTaskMetrics;
import io.dmjava.worker.registration.WorkerRegistration;
import io.dmjava.worker.subtask.FullMigrationChain;
import io.dmjava.worker.subtask.SubTaskSupervisor;
import io.dmjava.worker.subtask.UnitChainFactory;
import io.dmjava.worker.subtask.EtcdBinlogOperators;
import io.dmjava.worker.subtask.EtcdShardDdlCoordinator;
import io.dmjava.worker.subtask.UnitChains;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Wires the worker's registration; it starts once the worker's own API answers. */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {

    /** Where the running relay meets its readers (the sync units) and the purge protection they ask for. */
    @Bean
    RelayLogs relayLogs() {
        return new RelayLogs();
    }

    /** Registered with the relay keepalive TTL while the worker runs a relay (DM's relay-keepalive-ttl). */
    @Bean(destroyMethod = "close")
    WorkerRegistration workerRegistration(WorkerProperties props, WorkerEtcdProperties etcd,
                                          @Value("${server.port:8262}") int port, RelayLogs relays) {
        WorkerInfo self = new WorkerInfo(props.nameOr(hostname(), port), props.advertiseAddrOr(port));
        return new WorkerRegistration(props, etcd, self, relays::anyPublished);
    }

    /** The key decrypting stored passwords; read when the first subtask starts, so a worker can join before it exists. */
    @Bean
    Supplier<SecretCipher> secretCipher(@Value("${dm.secret.key-file:dm-secret.key}") String keyFile) {
        Path file = Path.of(keyFile);
        return new Supplier<>() {
            private volatile SecretCipher cipher;

            @Override
            public SecretCipher get() {
                if (cipher == null) {
                    cipher = SecretCipher.fromFile(file);
                }
                return cipher;
            }
        };
    }

    @Bean
    UnitChainFactory unitChainFactory(SyncProperties sync, MeterRegistry registry, WorkerRegistration registration,
                                      RelayLogs relays) {
        return new UnitChains(new FullMigrationChain(), sync.checkpointFlushInterval(), sync.heartbeat(), registry,
                EtcdBinlogOperators.factory(registration::kv), relays, EtcdShardDdlCoordinator.factory(registration::kv));
    }

    @Bean(destroyMethod = "close")
    SubTaskSupervisor subTaskSupervisor(WorkerRegistration registration, Supplier<SecretCipher> cipher,
                                        UnitChainFactory chains, WorkerProperties props, MeterRegistry registry,
                                        @Value("${dm.worker.fence-audit:false}") boolean fenceAudit, RelayLogs relays) {
        String name = registration.self().name();
        Path dir = Path.of(props.dataDir() == null || props.dataDir().isBlank() ? name : props.dataDir()).toAbsolutePath();
        return new SubTaskSupervisor(registration, cipher, chains, dir, new SubTaskMetrics(registry, name), fenceAudit,
                relays);
    }

    @Bean(destroyMethod = "close")
    RelaySupervisor relaySupervisor(WorkerRegistration registration, Supplier<SecretCipher> cipher, WorkerProperties props,
                                    MeterRegistry registry, ObjectProvider<RelayRetention> retentions, RelayLogs relays) {
        String name = registration.self().name();
        Path dir = Path.of(props.dataDir() == null || props.dataDir().isBlank() ? name : props.dataDir()).toAbsolutePath();
        RelaySupervisor.Cluster cluster = new RelaySupervisor.Cluster() {
            @Override
            public String workerName() {
                return name;
            }

            @Override
            public Optional<EtcdKv> kv() {
                return registration.kv();
            }

            @Override
            public boolean alive() {
                return registration.isAlive();
            }
        };
        // The retentions include the sync units' needs (RelayLogs is one).
        return new RelaySupervisor(cluster, cipher, dir, RelaySupervisor.combine(retentions.orderedStream().toList()),
                new RelayMetrics(registry), relays);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void register(ApplicationReadyEvent event) {
        event.getApplicationContext().getBean(WorkerRegistration.class).start();
        event.getApplicationContext().getBean(SubTaskSupervisor.class).start();
        event.getApplicationContext().getBean(RelaySupervisor.class).start();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
