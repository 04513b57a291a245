package io.dmjava.worker.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param endpoints client URLs of the cluster's etcd, comma separated; when empty (the default) they
 *                  are asked of the masters in {@code dm.worker.join}
 */
@ConfigurationProperties("dm.etcd")
public record WorkerEtcdProperties(String endpoints) {
}
