package io.dmjava.worker.config;

import io.dmjava.model.cluster.WorkerInfo;
import io.dmjava.worker.registration.WorkerRegistration;
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

    @Bean(destroyMethod = "close")
    WorkerRegistration workerRegistration(WorkerProperties props, WorkerEtcdProperties etcd,
                                          @Value("${server.port:8262}") int port) {
        WorkerInfo self = new WorkerInfo(props.nameOr(hostname(), port), props.advertiseAddrOr(port));
        return new WorkerRegistration(props, etcd, self);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void register(ApplicationReadyEvent event) {
        event.getApplicationContext().getBean(WorkerRegistration.class).start();
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
