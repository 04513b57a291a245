package io.dmjava.master.config;

import io.dmjava.master.api.ErrorResponses;
import io.dmjava.master.cluster.MasterAdmin;
import io.dmjava.master.election.LeaderElection;
import io.dmjava.master.election.LeaderService;
import io.dmjava.master.etcd.EmbeddedEtcd;
import io.dmjava.master.forward.LeaderForwardingFilter;
import io.dmjava.master.relay.RelayControl;
import io.dmjava.master.scheduler.Scheduler;
import io.dmjava.master.shardddl.Pessimist;
import io.dmjava.master.source.SourceService;
import io.dmjava.master.task.BinlogOperators;
import io.dmjava.master.task.SubTaskForwarder;
import io.dmjava.master.task.TaskRunControl;
import io.dmjava.master.task.TaskService;
import io.dmjava.model.secret.SecretCipher;
import io.dmjava.model.cluster.MasterInfo;
import io.dmjava.model.etcd.JsonCodec;
import io.dmjava.store.BinlogOperatorStore;
import io.dmjava.store.BoundStore;
import io.dmjava.store.ClusterIdStore;
import io.dmjava.store.EtcdClients;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.MasterStore;
import io.dmjava.store.PessimismInfoStore;
import io.dmjava.store.PessimismOperationStore;
import io.dmjava.store.RelayStageStore;
import io.dmjava.store.RelayWorkerStore;
import io.dmjava.store.SourceStore;
import io.dmjava.store.SubTaskStore;
import io.dmjava.store.TaskStore;
import io.dmjava.store.WorkerStore;
import io.etcd.jetcd.Client;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;

/**
 * Wires the master: its etcd member (embedded or external), the stores over it, the election and the
 * leader-only services. Spring destroys beans in reverse dependency order, so on shutdown the master
 * steps down first, then its etcd client closes, then its etcd member stops.
 */
@Configuration(proxyBeanMethods = false)
public class MasterConfiguration {

    /** The embedded member, unless {@code dm.etcd.embedded=false} or external endpoints are configured. */
    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("${dm.etcd.embedded:true} and '${dm.etcd.endpoints:}'.isBlank()")
    EmbeddedEtcd embeddedEtcd(EtcdProperties etcd, MasterProperties master) throws InterruptedException {
        EmbeddedEtcd member = new EmbeddedEtcd(etcd, master);
        member.start();
        return member;
    }

    @Bean(destroyMethod = "close")
    Client etcdClient(EtcdProperties etcd, Optional<EmbeddedEtcd> embedded) {
        // A master talks to its own member: if that member is down, so is this master's view of the cluster.
        return EtcdClients.connect(embedded.isPresent() ? etcd.clientUrlList() : etcd.endpointList());
    }

    @Bean
    EtcdKv etcdKv(Client client, MasterProperties master) {
        return new EtcdKv(client, master.etcdTimeout());
    }

    @Bean
    JsonCodec jsonCodec() {
        return new JsonCodec();
    }

    @Bean
    MasterStore masterStore(EtcdKv kv, JsonCodec codec) {
        return new MasterStore(kv, codec);
    }

    @Bean
    WorkerStore workerStore(EtcdKv kv, JsonCodec codec) {
        return new WorkerStore(kv, codec);
    }

    @Bean
    BoundStore boundStore(EtcdKv kv, JsonCodec codec) {
        return new BoundStore(kv, codec);
    }

    @Bean
    RelayWorkerStore relayWorkerStore(EtcdKv kv) {
        return new RelayWorkerStore(kv);
    }

    @Bean
    ClusterIdStore clusterIdStore(EtcdKv kv) {
        return new ClusterIdStore(kv);
    }

    @Bean
    SourceStore sourceStore(EtcdKv kv, JsonCodec codec) {
        return new SourceStore(kv, codec);
    }

    @Bean
    TaskStore taskStore(EtcdKv kv, JsonCodec codec) {
        return new TaskStore(kv, codec);
    }

    @Bean
    SubTaskStore subTaskStore(EtcdKv kv, JsonCodec codec) {
        return new SubTaskStore(kv, codec);
    }

    @Bean
    SecretCipher secretCipher(SecretProperties secret) {
        return SecretCipher.fromFileCreatingIfMissing(Path.of(secret.keyFile()));
    }

    @Bean
    Scheduler scheduler(EtcdKv kv, WorkerStore workers, BoundStore bounds, RelayWorkerStore relays, SourceStore sources,
                        SubTaskStore subtasks, MeterRegistry meters) {
        return new Scheduler(kv, workers, bounds, relays, sources, subtasks, meters);
    }

    @Bean
    Pessimist pessimist(EtcdKv kv, JsonCodec codec, SubTaskStore subtasks, TaskStore tasks, MeterRegistry meters) {
        return new Pessimist(kv, new PessimismInfoStore(kv, codec), new PessimismOperationStore(kv, codec), subtasks,
                tasks, meters);
    }

    @Bean
    SourceService sourceService(SourceStore sources, TaskStore tasks, SubTaskStore subtasks, Scheduler scheduler,
                                SecretCipher cipher, EtcdKv kv) {
        return new SourceService(sources, tasks, subtasks, scheduler, cipher, kv);
    }

    @Bean
    RelayControl relayControl(SourceStore sources, WorkerStore workers, BoundStore bounds, RelayWorkerStore relays,
                              EtcdKv kv, JsonCodec codec, Scheduler scheduler) {
        return new RelayControl(sources, workers, bounds, relays, new RelayStageStore(kv, codec), scheduler);
    }

    @Bean
    TaskService taskService(TaskStore tasks, SubTaskStore subtasks, SourceStore sources, SourceService sourceService,
                            SecretCipher cipher, EtcdKv kv) {
        return new TaskService(tasks, subtasks, sources, sourceService, cipher, kv);
    }

    @Bean
    SubTaskForwarder subTaskForwarder(TaskService tasks, Scheduler scheduler) {
        return new SubTaskForwarder(tasks, scheduler);
    }

    @Bean
    BinlogOperators binlogOperators(TaskService tasks, TaskRunControl control, EtcdKv kv, JsonCodec codec) {
        return new BinlogOperators(tasks, control, new BinlogOperatorStore(kv, codec));
    }

    @Bean
    TaskRunControl taskRunControl(TaskService tasks, SubTaskStore subtasks, SourceService sources, Scheduler scheduler,
                                  SecretCipher cipher, EtcdKv kv) {
        return new TaskRunControl(tasks, subtasks, sources, scheduler, cipher, kv);
    }

    @Bean(destroyMethod = "close")
    LeaderElection leaderElection(EtcdKv kv, MasterStore masters, JsonCodec codec, MasterProperties props,
                                  @Value("${server.port:8261}") int port, List<LeaderService> services,
                                  MeterRegistry meters) {
        return new LeaderElection(kv, masters, codec, props, props.advertiseAddrOr(port), services, meters);
    }

    @Bean
    MasterAdmin masterAdmin(EtcdKv kv, MasterStore masters, LeaderElection election) {
        return new MasterAdmin(kv, masters, election);
    }

    @Bean
    FilterRegistrationBean<LeaderForwardingFilter> leaderForwardingFilter(LeaderElection election, MasterProperties props) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        var reg = new FilterRegistrationBean<>(
                new LeaderForwardingFilter(election, http, props.forwardTimeout(), new ErrorResponses()));
        reg.addUrlPatterns("/api/v1/*");
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return reg;
    }

    /**
     * Registers this master and starts campaigning once the API answers, so followers never forward
     * to a leader whose web server is not up yet.
     */
    @EventListener(ApplicationReadyEvent.class)
    public void joinCluster(ApplicationReadyEvent event) {
        var ctx = event.getApplicationContext();
        MasterProperties props = ctx.getBean(MasterProperties.class);
        EtcdProperties etcd = ctx.getBean(EtcdProperties.class);
        int port = Integer.parseInt(ctx.getEnvironment().getProperty("server.port", "8261"));
        boolean embedded = etcd.runsEmbedded();
        MasterInfo self = new MasterInfo(props.name(), props.advertiseAddrOr(port), embedded ? props.name() : "",
                embedded ? etcd.clientUrls() : "");
        register(ctx.getBean(MasterStore.class), self, etcd.startTimeout());
        ctx.getBean(LeaderElection.class).start();
    }

    /**
     * Registers this master, retrying for up to {@code within}: an embedded member answers before the etcd cluster
     * has a quorum (the other masters may still be starting, or be slow on a loaded machine), and one write timing
     * out then must not stop the master.
     */
    static void register(MasterStore masters, MasterInfo self, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                masters.register(self);
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw e;
                }
                LoggerFactory.getLogger(MasterConfiguration.class).warn(
                        "cannot register master '{}' in etcd yet (attempt {}): {}; retrying", self.name(), attempt, e.getMessage());
                try {
                    Thread.sleep(500);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
